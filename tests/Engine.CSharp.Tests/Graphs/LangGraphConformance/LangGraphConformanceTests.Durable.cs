using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs.LangGraphConformance;

/// <summary>The durable cases of the LangGraph conformance suite: checkpoints, interrupts, time travel, threads, subgraphs.</summary>
public sealed partial class LangGraphConformanceTests
{
    private static readonly RunOptions OnT = new() { ThreadId = "t" };

    /// <summary>11. interrupt(). LangGraph: resuming runs the interrupted node again from its start; interrupt() then returns the resume value.</summary>
    [Test]
    public async Task Interrupt_Resumed_NodeRunsAgainFromItsStart()
    {
        var starts = 0;
        await using var g = Trace()
            .AddNode("ask", (_, ctx) => { Interlocked.Increment(ref starts); return Log("ask:" + ctx.Interrupt<string>("name?")); })
            .AddEdge(StateGraph.Start, "ask").AddEdge("ask", StateGraph.End).Compile(checkpointer: new InMemoryCheckpointer());

        var first = await g.RunAsync([], OnT).Bounded();
        var done = await g.ResumeAsync("t", Resume.With("ada")).Bounded();

        Assert.That(first.Interrupts.Single().Value, Is.EqualTo("name?"));
        Assert.That(done.State, Is.EqualTo(new[] { "ask:ada" }));
        Assert.That(starts, Is.EqualTo(2));
    }

    /// <summary>12. An interrupt beside a finished sibling. LangGraph: the sibling's write is kept as a pending write and it does not run again.</summary>
    [Test]
    public async Task Interrupt_InOneOfTwoParallelNodes_SiblingDoesNotRunAgain()
    {
        var siblingRuns = 0;
        await using var g = ParallelAsk(() => Interlocked.Increment(ref siblingRuns)).Compile(checkpointer: new InMemoryCheckpointer());

        await g.RunAsync([], OnT).Bounded();
        var done = await g.ResumeAsync("t", Resume.With("yes")).Bounded();

        Assert.That(done.State, Is.EqualTo(new[] { "ask:yes", "sib" }));
        Assert.That(siblingRuns, Is.EqualTo(1));
    }

    /// <summary>13. An interrupt inside a Send task. LangGraph: the other Send tasks' writes are kept; only the interrupted one runs again.</summary>
    [Test]
    public async Task Interrupt_InsideOneSendTask_OtherSendTasksDoNotRunAgain()
    {
        var runs = new int[3];
        await using var g = Trace()
            .AddNode("plan", _ => Log("plan"))
            .AddWorker<int>("w", (x, ctx) => { Interlocked.Increment(ref runs[x]); return Log(x == 2 ? "w2:" + ctx.Interrupt<string>("ok?") : $"w{x}"); })
            .AddEdge(StateGraph.Start, "plan")
            .AddConditionalEdges("plan", _ => Route.Sends(Send.To("w", 1), Send.To("w", 2)), "w")
            .AddEdge("w", StateGraph.End).Compile(checkpointer: new InMemoryCheckpointer());

        await g.RunAsync([], OnT).Bounded();
        var done = await g.ResumeAsync("t", Resume.With("ok")).Bounded();

        Assert.That(done.State, Is.EqualTo(new[] { "plan", "w1", "w2:ok" }));
        Assert.That(runs[1..], Is.EqualTo(new[] { 1, 2 }));
    }

    /// <summary>14. update_state then resume. LangGraph: <c>update_state(values, as_node="a")</c> reduces the values and plans a's successors; <c>invoke(None)</c> runs them.</summary>
    [Test]
    public async Task UpdateState_AsNodeThenResume_NextNodeSeesTheUpdate()
    {
        await using var g = Trace().AddNode("a", _ => Log("a")).AddNode("b", s => Log($"b saw {s.Count}"))
            .AddEdge(StateGraph.Start, "a").AddEdge("a", "b").AddEdge("b", StateGraph.End)
            .Compile(new GraphCompileOptions { Checkpointer = new InMemoryCheckpointer(), InterruptBefore = ["b"] });

        await g.RunAsync([], OnT).Bounded();
        var updated = await g.UpdateStateAsync("t", Log("edited"), "a").Bounded();
        var done = await g.ResumeAsync("t").Bounded();

        Assert.That(updated.Next, Is.EqualTo(new[] { "b" }));
        Assert.That(done.State, Is.EqualTo(new[] { "a", "edited", "b saw 2" }));
    }

    /// <summary>15. Time travel. LangGraph: invoking with an older checkpoint_id replays: the steps after it run again on a new branch.</summary>
    [Test]
    public async Task Replay_FromAnOlderCheckpoint_RunsTheLaterStepsAgain()
    {
        var bRuns = 0;
        await using var g = Trace().AddNode("a", _ => Log("a")).AddNode("b", _ => { Interlocked.Increment(ref bRuns); return Log("b"); })
            .AddEdge(StateGraph.Start, "a").AddEdge("a", "b").AddEdge("b", StateGraph.End).Compile(checkpointer: new InMemoryCheckpointer());
        await g.RunAsync([], OnT).Bounded();
        var beforeB = (await g.GetStateHistoryAsync("t").Bounded()).First(h => h.Next.SequenceEqual(["b"]));

        var replayed = await g.ResumeAsync("t", null, new RunOptions { CheckpointId = beforeB.CheckpointId }).Bounded();

        Assert.That(replayed.State, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(bRuns, Is.EqualTo(2));
    }

    /// <summary>16. A failing parallel branch. LangGraph: the step fails; the finished sibling's write is kept, and resuming runs only the failed node.</summary>
    [Test]
    public async Task Failure_InOneParallelBranch_ResumeRunsOnlyTheFailedNode()
    {
        var (bRuns, cRuns) = (0, 0);
        var cRecorded = NewGate();
        var store = new Durability.HeldPutCheckpointer(new InMemoryCheckpointer())
        {
            WriteSeen = w => { if (w.Node == "c" && w.Kind == PendingWriteKind.Update) { cRecorded.TrySetResult(); } },
        };
        await using var g = Trace()
            .AddNode("b", async _ =>
            {
                if (Interlocked.Increment(ref bRuns) == 1)
                {
                    await cRecorded.Task.ConfigureAwait(false); // fail once the sibling's write is recorded (a sibling still running is cancelled and runs again)
                    throw new InvalidOperationException("flaky");
                }

                return Log("b");
            })
            .AddNode("c", _ => { Interlocked.Increment(ref cRuns); return Log("c"); })
            .AddEdge(StateGraph.Start, "b").AddEdge(StateGraph.Start, "c")
            .AddEdge("b", StateGraph.End).AddEdge("c", StateGraph.End).Compile(checkpointer: store);

        await Assert.ThrowsAsync<NodeFailedException>(async () => await g.RunAsync([], OnT).Bounded());
        var done = await g.ResumeAsync("t").Bounded();

        Assert.That(done.State, Is.EqualTo(new[] { "b", "c" }));
        Assert.That((bRuns, cRuns), Is.EqualTo((2, 1)));
    }

    /// <summary>17. A multi-turn thread. LangGraph: invoking a thread again applies the new input through the reducers, keeping earlier turns.</summary>
    [Test]
    public async Task Thread_InvokedAgainWithNewInput_KeepsEarlierTurns()
    {
        await using var g = Trace().AddNode("bot", s => Log("re:" + s[^1]))
            .AddEdge(StateGraph.Start, "bot").AddEdge("bot", StateGraph.End).Compile(checkpointer: new InMemoryCheckpointer());

        await g.ContinueAsync("t", [], ["hi"]).Bounded();
        var second = await g.ContinueAsync("t", [], ["bye"]).Bounded();

        Assert.That(second.State, Is.EqualTo(new[] { "hi", "re:hi", "bye", "re:bye" }));
    }

    /// <summary>18. An interrupt inside a subgraph. LangGraph: the parent is interrupted; resuming the parent continues the subgraph at its interrupted node.</summary>
    [Test]
    public async Task Subgraph_InterruptInside_ParentInterruptedAndResumed()
    {
        var store = new InMemoryCheckpointer();
        var firstRuns = 0;
        await using var child = Trace()
            .AddNode("first", _ => { Interlocked.Increment(ref firstRuns); return Log("first"); })
            .AddNode("ask", (_, ctx) => Log("ask:" + ctx.Interrupt<string>("q")))
            .AddEdge(StateGraph.Start, "first").AddEdge("first", "ask").AddEdge("ask", StateGraph.End).Compile(checkpointer: store);
        await using var parent = Trace()
            .AddSubgraph<IReadOnlyList<string>, IReadOnlyList<string>>("sub", child, s => [], s => s)
            .AddEdge(StateGraph.Start, "sub").AddEdge("sub", StateGraph.End).Compile(checkpointer: store);

        var stopped = await parent.RunAsync([], OnT).Bounded();
        var done = await parent.ResumeAsync("t", Resume.With("a")).Bounded();

        Assert.That(stopped.Interrupts.Single().Value, Is.EqualTo("q"));
        Assert.That(done.State, Is.EqualTo(new[] { "first", "ask:a" }));
        Assert.That(firstRuns, Is.EqualTo(1));
    }

    /// <summary>19. Keyed state on a checkpointer. LangGraph: channels (a LastValue and an accumulating list) are read back from the checkpoint on resume.</summary>
    [Test]
    public async Task KeyedState_InterruptedAndResumed_ChannelsComeBackFromTheCheckpoint()
    {
        var schema = new KeyedStateSchema().LastValue<int>("n").Topic<string>("log", accumulate: true);
        await using var g = schema.CreateGraph()
            .AddNode("a", _ => KeyedUpdate.Of("n", 41).Set("log", "a"))
            .AddNode("ask", (s, ctx) => KeyedUpdate.Of("n", s.Get<int>("n") + 1).Set("log", ctx.Interrupt<string>("go?")))
            .AddEdge(StateGraph.Start, "a").AddEdge("a", "ask").AddEdge("ask", StateGraph.End).Compile(checkpointer: new InMemoryCheckpointer());

        await g.RunAsync(schema.CreateState(), OnT).Bounded();
        var done = await g.ResumeAsync("t", Resume.With("go")).Bounded();

        Assert.That(done.State.ToString(), Is.EqualTo("{log=[a, go], n=42}"));
    }

    /// <summary>
    /// 20. The snapshot of a stopped step. LangGraph: values include the finished sibling's write (a pending write)
    /// and <c>next</c> lists only the interrupted node; the sibling does not run again.
    /// </summary>
    [Test]
    public async Task GetState_AfterAnInterruptInAParallelStep_FoldsTheFinishedSiblingAndListsOnlyTheInterrupted()
    {
        await using var g = ParallelAsk(() => 0).Compile(checkpointer: new InMemoryCheckpointer());
        await g.RunAsync([], OnT).Bounded();

        var snapshot = (await g.GetStateAsync("t").Bounded())!;

        Assert.That(snapshot.Values, Is.EqualTo(new[] { "sib" }));
        Assert.That(snapshot.Next, Is.EqualTo(new[] { "ask" }));
        Assert.That(snapshot.CompletedTasks, Is.EqualTo(new[] { "1:1:sib" }));
        Assert.That(snapshot.Interrupts.Single().Node, Is.EqualTo("ask"));
    }

    private static StateGraph<IReadOnlyList<string>, IReadOnlyList<string>> ParallelAsk(Func<int> onSibling) =>
        Trace()
            .AddNode("ask", (_, ctx) => Log("ask:" + ctx.Interrupt<string>("ok?")))
            .AddNode("sib", _ => { onSibling(); return Log("sib"); })
            .AddEdge(StateGraph.Start, "ask").AddEdge(StateGraph.Start, "sib")
            .AddEdge("ask", StateGraph.End).AddEdge("sib", StateGraph.End);
}
