using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs;

/// <summary>The thread that starts a run works on it, unless a synchronization context would capture its nodes.</summary>
public class RunStartTests
{
    [Test]
    public async Task InvokeAsync_SynchronousNodes_CompletesBeforeReturningOnTheCallersThread()
    {
        var caller = Environment.CurrentManagedThreadId;
        var threads = new List<int>();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>());
        foreach (var name in new[] { "a", "b", "c" })
        {
            graph.AddNode(name, s =>
            {
                threads.Add(Environment.CurrentManagedThreadId);
                return s + 1;
            });
        }

        graph.AddEdge(StateGraph.Start, "a").AddEdge("a", "b").AddEdge("b", "c").AddEdge("c", StateGraph.End);
        await using var compiled = graph.Compile();

        // The test runner installs a synchronization context: a caller without one (a server, a console) is simulated.
        var previous = SynchronizationContext.Current;
        Task<int> run;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            run = compiled.InvokeAsync(0);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        Assert.Multiple(() =>
        {
            Assert.That(run.IsCompletedSuccessfully, Is.True, "no hop: the run ended inside InvokeAsync");
            Assert.That(run.Result, Is.EqualTo(3));
            Assert.That(threads, Is.EqualTo(new[] { caller, caller, caller }));
        });
    }

    [Test]
    public async Task InvokeAsync_CallerWithASynchronizationContext_RunsTheNodesOffItsThread()
    {
        var caller = Environment.CurrentManagedThreadId;
        var invoking = true;
        var seen = new TaskCompletionSource<(bool Inline, bool HadContext)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("a", s =>
            {
                // Inline: on the caller's thread while InvokeAsync has not returned (later on the same pool thread is fine).
                seen.TrySetResult((Environment.CurrentManagedThreadId == caller && invoking, SynchronizationContext.Current is not null));
                return s + 1;
            })
            .AddEdge(StateGraph.Start, "a").AddEdge("a", StateGraph.End);
        await using var compiled = graph.Compile();

        var previous = SynchronizationContext.Current;
        Task<int> run;
        SynchronizationContext.SetSynchronizationContext(new SynchronizationContext());
        try
        {
            run = compiled.InvokeAsync(0);
        }
        finally
        {
            invoking = false;
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        var (inline, hadContext) = await seen.Task.WaitAsync(Wait);
        var result = await run.WaitAsync(Wait);
        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(1));
            Assert.That(inline, Is.False, "the run must not start on a thread with a synchronization context");
            Assert.That(hadContext, Is.False);
        });
    }

    [Test]
    public async Task InvokeAsync_FirstNodeAwaits_ReturnsBeforeTheRunEndsAndFinishesOnTheContinuation()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("a", async (s, _) =>
            {
                await gate.Task.ConfigureAwait(false);
                return NodeResult<int>.FromUpdate(s + 1);
            })
            .AddNode("b", s => s + 1)
            .AddEdge(StateGraph.Start, "a").AddEdge("a", "b").AddEdge("b", StateGraph.End);
        await using var compiled = graph.Compile();

        var previous = SynchronizationContext.Current;
        Task<int> run;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            run = compiled.InvokeAsync(0);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        Assert.That(run.IsCompleted, Is.False);
        gate.SetResult();

        Assert.That(await run.WaitAsync(Wait), Is.EqualTo(2));
    }
}
