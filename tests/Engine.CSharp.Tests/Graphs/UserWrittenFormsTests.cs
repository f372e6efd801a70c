using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;

namespace Graph.Engine.Tests.Graphs;

/// <summary>
/// Each form here is written the way a LangGraph or .NET user writes it first; the file compiling is half the test,
/// running each graph (and seeing the intended overload's behaviour) is the other half.
/// </summary>
public class UserWrittenFormsTests
{
    [Test]
    public async Task AddNode_AsyncLambdaOnStateOnly_RunsAwaitedUpdate()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("f", async s =>
            {
                await Task.Yield();
                return s + 1;
            })
            .AddEdge(StateGraph.Start, "f")
            .AddEdge("f", StateGraph.End);
        await using var compiled = graph.Compile();

        Assert.That(await compiled.InvokeAsync(1).Bounded(), Is.EqualTo(2));
    }

    [Test]
    public async Task AddNode_LambdaAndMethodReturningTask_RunAsNodes()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("lambda", s => Task.FromResult(s * 2))
            .AddNode("method", TenMoreAsync)
            .AddEdge(StateGraph.Start, "lambda")
            .AddEdge("lambda", "method")
            .AddEdge("method", StateGraph.End);
        await using var compiled = graph.Compile();

        Assert.That(await compiled.InvokeAsync(3).Bounded(), Is.EqualTo(16));
    }

    [Test]
    public async Task AddNode_ContextLambdaReturningTask_RunsAsNode()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("f", (s, ctx) => Task.Run(() => s + 1, ctx.CancellationToken))
            .AddNode("g", async (s, ctx) =>
            {
                await Task.Yield();
                return s * 10;
            })
            .AddEdge(StateGraph.Start, "f")
            .AddEdge("f", "g")
            .AddEdge("g", StateGraph.End);
        await using var compiled = graph.Compile();

        Assert.That(await compiled.InvokeAsync(1).Bounded(), Is.EqualTo(20));
    }

    [Test]
    public async Task AddNode_ListForInterfaceUpdateAndNullForReferenceUpdate_CompileAndApply()
    {
        var graph = new StateGraph<IReadOnlyList<string>, IReadOnlyList<string>>(Reducers.Append<string>())
            .AddNode("list", s => new List<string> { "a" })
            .AddNode("ctx", (s, ctx) => new List<string> { "b" })
            .AddEdge(StateGraph.Start, "list")
            .AddEdge("list", "ctx")
            .AddEdge("ctx", StateGraph.End);
        var clearing = new StateGraph<string?, string?>(Reducers.Replace<string?>())
            .AddNode("clear", (s, ctx) => null)
            .AddEdge(StateGraph.Start, "clear")
            .AddEdge("clear", StateGraph.End);
        await using var compiled = graph.Compile();
        await using var cleared = clearing.Compile();

        Assert.Multiple(async () =>
        {
            Assert.That(await compiled.InvokeAsync([]).Bounded(), Is.EqualTo(new[] { "a", "b" }));
            Assert.That(await cleared.InvokeAsync("x").Bounded(), Is.Null);
        });
    }

    [Test]
    public async Task AddNode_StateOnlyLambdaReturningCommand_AppliesUpdateAndGoto()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("f", s => new Command<int>(s + 1, "g"), new NodeOptions { Destinations = ["g"] })
            .AddNode("g", s => s * 10)
            .AddEdge(StateGraph.Start, "f")
            .AddEdge("g", StateGraph.End);
        await using var compiled = graph.Compile();

        Assert.That(await compiled.InvokeAsync(1).Bounded(), Is.EqualTo(20));
    }

    [Test]
    public async Task AddNode_StateOnlyLambdaReturningUpdateOrCommand_TakesEitherBranch()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("f", s => s > 5 ? s : new Command<int>(s + 1, "f"), new NodeOptions { Destinations = ["f"] })
            .AddEdge(StateGraph.Start, "f")
            .AddEdge("f", StateGraph.End);
        await using var compiled = graph.Compile();

        Assert.That(await compiled.InvokeAsync(0).Bounded(), Is.EqualTo(6));
    }

    [Test]
    public async Task AddWorker_WithContextReturningListForInterfaceUpdate_AppendsEveryItem()
    {
        var graph = new StateGraph<IReadOnlyList<string>, IReadOnlyList<string>>(Reducers.Append<string>())
            .AddWorker<string>("w", (item, ctx) => new List<string> { item.ToUpperInvariant() })
            .AddConditionalEdges(StateGraph.Start, _ => Route.Sends(Send.To("w", "a"), Send.To("w", "b")), "w")
            .AddEdge("w", StateGraph.End);
        await using var compiled = graph.Compile();

        Assert.That(await compiled.InvokeAsync([]).Bounded(), Is.EqualTo(new[] { "A", "B" }));
    }

    [Test]
    public async Task AddWorker_WithContextReturningTask_RunsOncePerSend()
    {
        var graph = new StateGraph<int, int>(Reducers.Sum<int>())
            .AddWorker<int>("w", (item, ctx) => Task.FromResult(item * 2))
            .AddConditionalEdges(StateGraph.Start, _ => Route.Sends(Send.To("w", 1), Send.To("w", 2)), "w")
            .AddEdge("w", StateGraph.End);
        await using var compiled = graph.Compile();

        Assert.That(await compiled.InvokeAsync(0).Bounded(), Is.EqualTo(6));
    }

    [Test]
    public async Task AddConditionalEdges_PathMap_RoutesKeyToMappedNode()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("a", s => s)
            .AddNode("p", s => s + 100)
            .AddEdge(StateGraph.Start, "a")
            .AddConditionalEdges("a", s => s > 0 ? "positive" : "other", new Dictionary<string, string>
            {
                ["positive"] = "p",
                ["other"] = StateGraph.End,
            })
            .AddEdge("p", StateGraph.End);
        await using var compiled = graph.Compile();

        Assert.Multiple(async () =>
        {
            Assert.That(await compiled.InvokeAsync(1).Bounded(), Is.EqualTo(101));
            Assert.That(await compiled.InvokeAsync(-1).Bounded(), Is.EqualTo(-1));
        });
    }

    [Test]
    public async Task AddConditionalEdges_PathMapWithUnknownKey_FailsRunNamingKey()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("a", s => s)
            .AddEdge(StateGraph.Start, "a")
            .AddConditionalEdges("a", _ => "nowhere", new Dictionary<string, string> { ["done"] = StateGraph.End });
        await using var compiled = graph.Compile();

        var ex = await Assert.ThrowsAsync<InvalidRouteException>(() => compiled.InvokeAsync(0).Bounded());

        Assert.That(ex!.Message, Does.Contain("'nowhere'").And.Contain("path map"));
    }

    [Test]
    public async Task Compile_NamedCheckpointer_PersistsThread()
    {
        var store = new InMemoryCheckpointer();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("f", s => s + 1)
            .AddEdge(StateGraph.Start, "f")
            .AddEdge("f", StateGraph.End);
        await using var compiled = graph.Compile(checkpointer: store);

        await compiled.InvokeAsync(1, new RunOptions { ThreadId = "t" }).Bounded();
        var snapshot = await compiled.GetStateAsync("t").Bounded();

        Assert.That(snapshot?.Values, Is.EqualTo(2));
    }

    [Test]
    public void Compile_CheckpointerInArgumentAndOptions_ThrowsArgumentException()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("f", s => s)
            .AddEdge(StateGraph.Start, "f")
            .AddEdge("f", StateGraph.End);

        var ex = Assert.Throws<ArgumentException>(() => graph.Compile(new GraphCompileOptions { Checkpointer = new InMemoryCheckpointer() }, checkpointer: new InMemoryCheckpointer()));

        Assert.That(ex!.ParamName, Is.EqualTo("checkpointer"));
    }

    [Test]
    public async Task InvokeAsync_InputAndToken_RunsAndHonoursCancellation()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("f", s => s + 1)
            .AddEdge(StateGraph.Start, "f")
            .AddEdge("f", StateGraph.End);
        await using var compiled = graph.Compile();
        using var cts = new CancellationTokenSource();
        var ct = cts.Token;

        var value = await compiled.InvokeAsync(1, ct).Bounded();
        var result = await compiled.RunAsync(1, ct).Bounded();
        await cts.CancelAsync();

        Assert.Multiple(() =>
        {
            Assert.That(value, Is.EqualTo(2));
            Assert.That(result.State, Is.EqualTo(2));
            Assert.That(async () => await compiled.InvokeAsync(1, ct).Bounded(), Throws.InstanceOf<OperationCanceledException>());
        });
    }

    [Test]
    public async Task Compile_RouterWithoutTargets_RoutesAtRunTime()
    {
        await using var compiled = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("a", s => s + 1)
            .AddConditionalEdges(StateGraph.Start, _ => "a")
            .AddEdge("a", StateGraph.End)
            .Compile();

        Assert.That(await compiled.InvokeAsync(1).Bounded(), Is.EqualTo(2));
    }

    [Test]
    public async Task AddConditionalEdges_AsyncLambdaRouter_Compiles()
    {
        await using var compiled = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("a", s => s + 1)
            .AddConditionalEdges(StateGraph.Start, async s => { await Task.Yield(); return s > 0 ? "a" : StateGraph.End; })
            .AddEdge("a", StateGraph.End)
            .Compile();

        Assert.That(await compiled.InvokeAsync(1).Bounded(), Is.EqualTo(2));
    }

    private static Task<int> TenMoreAsync(int s) => Task.FromResult(s + 10);
}
