using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs.Streaming;

/// <summary>A durable run's stream outlives its consumer and can be re-attached from the last event id seen.</summary>
public class StreamReattachTests
{
    [Test]
    [Repeat(10)]
    public async Task ReattachAsync_ConsumerLeftMidRun_RunGoesOnAndTheStreamContinuesAfterTheLastIdSeen()
    {
        var hold = NewGate();
        await using var compiled = Held(hold).Compile(new GraphCompileOptions { Checkpointer = new InMemoryCheckpointer() });

        var seen = new List<GraphEvent>();
        await foreach (var e in compiled.StreamAsync(1, new StreamOptions { ReplayCapacity = 100 }, new RunOptions { ThreadId = "t" }))
        {
            seen.Add(e);
            if (e is TaskStartedEvent { Node: "b" })
            {
                break; // the consumer goes away while b runs
            }
        }

        hold.SetResult();
        var rest = await CollectAsync(compiled.ReattachAsync("t", seen[^1].Id));
        var snapshot = await compiled.GetStateAsync("t");

        Assert.Multiple(() =>
        {
            Assert.That(rest.Select(e => e.Id), Is.EqualTo(Enumerable.Range((int)seen[^1].Id + 1, rest.Count).Select(i => (long)i)), "no event lost or repeated");
            Assert.That(rest.OfType<TaskFinishedEvent<int>>().Single().Node, Is.EqualTo("b"));
            Assert.That(rest[^1], Is.TypeOf<RunFinishedEvent<int>>().With.Property("State").EqualTo(12));
            Assert.That(snapshot!.Values, Is.EqualTo(12), "the run was not cancelled");
            Assert.That(() => compiled.ReattachAsync("t", 0), Throws.InvalidOperationException.With.Message.Contains("no stream to re-attach"), "read to its end: nothing left");
        });
    }

    [Test]
    public async Task ReattachAsync_EventsBeyondTheReplayBuffer_FailsNamingTheGap()
    {
        var hold = NewGate();
        var entered = NewGate();
        await using var compiled = Held(hold, entered).Compile(new GraphCompileOptions { Checkpointer = new InMemoryCheckpointer() });

        await using (var events = compiled.StreamAsync(1, new StreamOptions { ReplayCapacity = 1 }, new RunOptions { ThreadId = "t" }).GetAsyncEnumerator())
        {
            Assert.That(await events.MoveNextAsync(), Is.True); // event 1, then the consumer leaves
        }

        await entered.Task.Bounded(); // events 2-4 (a finished, step 1, b started) are written; the buffer keeps the last
        Assert.That(() => compiled.ReattachAsync("t", 1), Throws.InvalidOperationException.With.Message.Contains("are no longer buffered (StreamOptions.ReplayCapacity is 1)"));
        hold.SetResult();
    }

    [Test]
    public async Task ReattachAsync_StreamNotDurable_Fails()
    {
        await using var compiled = Held(NewGate()).Compile();

        Assert.That(() => compiled.ReattachAsync("nobody", 0), Throws.InvalidOperationException.With.Message.Contains("Thread 'nobody' has no stream to re-attach"));
    }

    private static StateGraph<int, int> Held(TaskCompletionSource hold, TaskCompletionSource? entered = null) =>
        new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("a", s => s + 1)
            .AddNode("b", async (int s, NodeContext _) =>
            {
                entered?.TrySetResult();
                await hold.Task.WaitAsync(Wait);
                return s + 10;
            })
            .AddEdge(StateGraph.Start, "a").AddEdge("a", "b").AddEdge("b", StateGraph.End);
}
