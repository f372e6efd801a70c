using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Tests.Durability;

namespace Graph.Engine.Tests.Graphs.Control;

[TestFixture(StoreKind.Memory)]
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public class ErrorHandlerTests(StoreKind kind) : StoreFixture(kind)
{
    private static readonly RunOptions Thread = new() { ThreadId = "t" };

    /// <summary>a -> b -> c, where b throws <c>InvalidOperationException("b broke")</c>.</summary>
    private static StateGraph<IReadOnlyList<string>, IReadOnlyList<string>> FailingChain(NodeOptions? bOptions = null) => TestGraphs.Trace()
        .AddNode("a", s => TestGraphs.Log("a"))
        .AddNode("b", (IReadOnlyList<string> s) => Broke(), bOptions)
        .AddNode("c", s => TestGraphs.Log("c"))
        .AddEdge(StateGraph.Start, "a")
        .AddEdge("a", "b")
        .AddEdge("b", "c")
        .AddEdge("c", StateGraph.End);

    private static IReadOnlyList<string> Broke() => throw new InvalidOperationException("b broke");

    [Test]
    public async Task OnNodeError_UpdateForm_TheHandlersUpdateIsWrittenAndTheEdgesFollowed()
    {
        NodeFailure? seen = null;
        await using var compiled = FailingChain().OnNodeError("b", (s, f) =>
        {
            seen = f;
            return TestGraphs.Log($"b failed after {s.Count} ({f.Error.Message})");
        }).Compile(Options());

        var result = await compiled.RunAsync([], Thread).Bounded();

        Assert.That(result.State, Is.EqualTo(new[] { "a", "b failed after 1 (b broke)", "c" }));
        Assert.That((seen!.Node, seen.Step, seen.TaskId, seen.Attempts, seen.Error.GetType()), Is.EqualTo(("b", 2, "2:0:b", 1, typeof(InvalidOperationException))));
    }

    [Test]
    public async Task OnNodeError_Handled_TheFailureAndTheHandlersWriteAreCheckpointedWithTheStep()
    {
        await using var compiled = FailingChain().OnNodeError("b", (s, f) => TestGraphs.Log("handled")).Compile(Options());

        await compiled.RunAsync([], Thread).Bounded();
        var stepStart = await TestStore.Store.GetAsync("t", 2).Bounded();

        Assert.That(stepStart!.Step, Is.EqualTo(1));
        Assert.That(stepStart.PendingWrites.Select(w => (w.TaskId, w.Node, w.Kind)), Is.EquivalentTo(new[] { ("2:0:b", "b", PendingWriteKind.Error), ("2:0:b", "b", PendingWriteKind.Update) }));
        Assert.That(System.Text.Encoding.UTF8.GetString(stepStart.PendingWrites.Single(w => w.Kind == PendingWriteKind.Error).Payload.Span), Is.EqualTo("System.InvalidOperationException: Node 'b' failed in step 2 (task 0) on attempt 1: b broke"));
    }

    [Test]
    public async Task OnNodeError_AfterRetries_TheHandlerSeesTheLastAttempt()
    {
        var options = new NodeOptions { Retry = new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.Zero, Jitter = false } };
        var attempts = 0;
        await using var compiled = TestGraphs.Trace()
            .AddNode("b", (IReadOnlyList<string> s) => { Interlocked.Increment(ref attempts); return Broke(); }, options)
            .AddEdge(StateGraph.Start, "b")
            .AddEdge("b", StateGraph.End)
            .OnNodeError("b", (s, f) => TestGraphs.Log($"gave up after {f.Attempts}"))
            .Compile(Options());

        var result = await compiled.InvokeAsync([], Thread).Bounded();

        Assert.That(result, Is.EqualTo(new[] { "gave up after 3" }));
        Assert.That(attempts, Is.EqualTo(3));
    }

    [Test]
    public async Task OnNodeError_CommandToAHandlerNode_RoutesThere()
    {
        await using var compiled = TestGraphs.Trace()
            .AddNode("a", s => TestGraphs.Log("a"))
            .AddNode("b", (IReadOnlyList<string> s) => Broke(), new NodeOptions { Destinations = ["fix", StateGraph.End] })
            .AddNode("fix", s => TestGraphs.Log("fix"))
            .AddEdge(StateGraph.Start, "a")
            .AddEdge("a", "b")
            .AddEdge("fix", StateGraph.End)
            .OnNodeError("b", (s, f, ctx) => new Command<IReadOnlyList<string>>(TestGraphs.Log("b failed"), Route.To("fix")))
            .Compile(Options());

        var result = await compiled.RunAsync([], Thread).Bounded();

        Assert.That((result.Status, result.State), Is.EqualTo((GraphRunStatus.Completed, new[] { "a", "b failed", "fix" })));
    }

    [Test]
    public async Task OnNodeError_CommandToEnd_EndsTheBranch()
    {
        await using var compiled = TestGraphs.Trace()
            .AddNode("a", s => TestGraphs.Log("a"))
            .AddNode("b", (IReadOnlyList<string> s) => Broke(), new NodeOptions { Destinations = ["c", StateGraph.End] })
            .AddNode("c", s => TestGraphs.Log("c"))
            .AddEdge(StateGraph.Start, "a")
            .AddEdge("a", "b")
            .AddEdge("c", StateGraph.End)
            .OnNodeError("b", (s, f, ctx) => Command<IReadOnlyList<string>>.GotoOnly(Route.End))
            .Compile(Options());

        var result = await compiled.RunAsync([], Thread).Bounded();

        Assert.That((result.Status, result.State), Is.EqualTo((GraphRunStatus.Completed, new[] { "a" })));
    }

    [Test]
    public async Task OnNodeError_HandlerInterrupts_APersonDecidesAndTheResumedHandlerGetsTheAnswer()
    {
        var bRuns = 0;
        await using var compiled = TestGraphs.Trace()
            .AddNode("a", s => TestGraphs.Log("a"))
            .AddNode("b", (IReadOnlyList<string> s) => { Interlocked.Increment(ref bRuns); return Broke(); })
            .AddNode("c", s => TestGraphs.Log("c"))
            .AddEdge(StateGraph.Start, "a")
            .AddEdge("a", "b")
            .AddEdge("b", "c")
            .AddEdge("c", StateGraph.End)
            .OnNodeError("b", (s, f, ctx) => NodeResult<IReadOnlyList<string>>.FromUpdate(TestGraphs.Log("b: " + ctx.Interrupt<string>($"b failed: {f.Error.Message}. What now?"))))
            .Compile(Options());

        var first = await compiled.RunAsync([], Thread).Bounded();
        var resumed = await compiled.ResumeAsync("t", Resume.With("skipped by a person")).Bounded();

        Assert.That((first.Status, first.CheckpointId), Is.EqualTo((GraphRunStatus.Interrupted, (long?)2)));
        Assert.That(first.Interrupts.Single(), Is.EqualTo(new GraphInterrupt("2:0:b#0", "b", "2:0:b", InterruptKind.Dynamic, "b failed: b broke. What now?")));
        Assert.That(resumed.State, Is.EqualTo(new[] { "a", "b: skipped by a person", "c" }));
        Assert.That(bRuns, Is.EqualTo(2), "the node runs again on resume, as after any interrupt");
    }

    [Test]
    public async Task OnAnyNodeError_NodesWithoutTheirOwnHandlerUseTheDefault()
    {
        await using var compiled = TestGraphs.Trace()
            .AddNode("x", (IReadOnlyList<string> s) => Broke())
            .AddNode("y", (IReadOnlyList<string> s) => Broke())
            .AddEdge(StateGraph.Start, "x")
            .AddEdge(StateGraph.Start, "y")
            .AddEdge("x", StateGraph.End)
            .AddEdge("y", StateGraph.End)
            .OnNodeError("x", (s, f) => TestGraphs.Log("x's own"))
            .OnAnyNodeError((s, f) => TestGraphs.Log($"default for {f.Node}"))
            .Compile(Options());

        var result = await compiled.InvokeAsync([], Thread).Bounded();

        Assert.That(result, Is.EqualTo(new[] { "x's own", "default for y" }));
    }

    [Test]
    public async Task OnNodeError_FailingNodeInParallel_TheSiblingsWorkIsKept()
    {
        var sibling = TestGraphs.NewGate();
        await using var compiled = TestGraphs.Trace()
            .AddNode("fails", async (IReadOnlyList<string> s, NodeContext ctx) =>
            {
                await sibling.Task.WaitAsync(ctx.CancellationToken);
                return Broke();
            })
            .AddNode("works", s =>
            {
                sibling.TrySetResult();
                return TestGraphs.Log("works");
            })
            .AddEdge(StateGraph.Start, "fails")
            .AddEdge(StateGraph.Start, "works")
            .AddEdge("fails", StateGraph.End)
            .AddEdge("works", StateGraph.End)
            .OnNodeError("fails", (s, f) => TestGraphs.Log("handled"))
            .Compile(Options());

        var result = await compiled.RunAsync([], Thread).Bounded();

        Assert.That(result.State, Is.EqualTo(new[] { "handled", "works" }));
    }

    [Test]
    public async Task OnNodeError_HandlerThrows_TheTaskFailsNamingTheHandler()
    {
        await using var compiled = FailingChain().OnNodeError("b", (s, f) => throw new FormatException("no way")).Compile(Options());

        var ex = await Assert.ThrowsAsync<NodeFailedException>(async () => await compiled.InvokeAsync([], Thread).Bounded());

        Assert.That(ex!.Node, Is.EqualTo("b"));
        Assert.That(ex.InnerException!.Message, Is.EqualTo("The error handler of node 'b' threw FormatException (no way) while handling: b broke"));
        Assert.That(ex.InnerException.InnerException, Is.TypeOf<FormatException>());
    }

    [Test]
    public void OnNodeError_UnknownNode_FailsValidation()
    {
        var ex = Assert.Throws<GraphValidationException>(() => FailingChain().OnNodeError("zzz", (s, f) => TestGraphs.Log("x")).Compile(Options()));

        Assert.That(ex!.Errors, Is.EqualTo(new[] { "OnNodeError names unknown node 'zzz'." }));
    }

    [Test]
    public void OnNodeError_TwiceForOneNode_Throws()
    {
        var graph = FailingChain().OnNodeError("b", (s, f) => TestGraphs.Log("x"));

        var ex = Assert.Throws<ArgumentException>(() => graph.OnNodeError("b", (s, f) => TestGraphs.Log("y")));

        Assert.That(ex!.Message, Does.StartWith("Node 'b' already has an error handler."));
    }

    [Test]
    public async Task OnNodeError_WithoutACheckpointer_HandlesTheFailure()
    {
        await using var compiled = FailingChain().OnNodeError("b", (s, f) => TestGraphs.Log(f.TaskId)).Compile();

        var result = await compiled.InvokeAsync([]).Bounded();

        Assert.That(result, Is.EqualTo(new[] { "a", "2:0:b", "c" }));
    }
}
