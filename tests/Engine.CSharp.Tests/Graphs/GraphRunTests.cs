using Graph.Engine.Graphs;
using FakeClock = Graph.Engine.Tests.Support.FakeClock;
using Polly;
using Polly.Retry;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs;

public class GraphRunTests
{
    private static IEnumerable<int[]> Permutations() =>
    [
        [0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0],
    ];

    [TestCaseSource(nameof(Permutations))]
    public async Task InvokeAsync_AnyCompletionOrder_ReducesInPlannedOrder(int[] completionOrder)
    {
        string[] names = ["c", "a", "b"];
        var gates = names.ToDictionary(n => n, _ => NewGate());
        var started = names.ToDictionary(n => n, _ => NewGate());
        var returned = names.ToDictionary(n => n, _ => NewGate());
        var graph = Trace();
        foreach (var name in names)
        {
            graph.AddNode(name, async (s, ctx) =>
            {
                started[name].SetResult();
                await gates[name].Task.WaitAsync(Wait, ctx.CancellationToken).ConfigureAwait(false);
                returned[name].SetResult();
                return Log(name);
            });
            graph.AddEdge(StateGraph.Start, name).AddEdge(name, StateGraph.End);
        }

        await using var compiled = graph.Compile();
        var run = compiled.InvokeAsync(["in"]);
        await Task.WhenAll(started.Values.Select(g => g.Task)).Bounded();
        foreach (var i in completionOrder)
        {
            gates[names[i]].SetResult();
            await returned[names[i]].Task.Bounded();
        }

        Assert.That(await run.Bounded(), Is.EqualTo(new[] { "in", "a", "b", "c" }));
    }

    [Test]
    public async Task InvokeAsync_ThousandConcurrentRunsWithRandomCompletionOrder_AllCorrect()
    {
        static Func<IReadOnlyList<string>, NodeContext, ValueTask<IReadOnlyList<string>>> Node(string name) =>
            async (s, ctx) =>
            {
                if (Random.Shared.Next(2) == 0)
                {
                    await Task.Yield();
                }

                return Log($"{name}:{s[0]}");
            };

        var unbounded = new NodeOptions { MaxParallelism = NodeOptions.Unbounded };
        var graph = Trace()
            .AddNode("src", Node("src"))
            .AddNode("a", Node("a"), unbounded)
            .AddNode("a2", Node("a2"))
            .AddNode("b", Node("b"), unbounded)
            .AddNode("c", Node("c"))
            .AddNode("sink", Node("sink"), unbounded)
            .AddWorker<int>("w", async (x, ctx) =>
            {
                if (Random.Shared.Next(2) == 0)
                {
                    await Task.Yield();
                }

                return Log($"w{x}");
            })
            .AddEdge(StateGraph.Start, "src")
            .AddEdge("src", "a").AddEdge("src", "b").AddEdge("src", "c").AddEdge("a", "a2")
            .AddConditionalEdges("src", _ => Route.Sends(Send.To("w", 3), Send.To("w", 1), Send.To("w", 2)), "w")
            .AddEdge("w", StateGraph.End)
            .AddJoin(["a2", "b", "c"], "sink")
            .AddEdge("sink", StateGraph.End);
        await using var compiled = graph.Compile();

        var runs = Enumerable.Range(0, 1000).Select(i => compiled.InvokeAsync([$"r{i}"])).ToArray();
        var results = await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(60));

        for (var i = 0; i < results.Length; i++)
        {
            var r = $"r{i}";
            Assert.That(results[i], Is.EqualTo(new[] { r, $"src:{r}", $"a:{r}", $"b:{r}", $"c:{r}", "w3", "w1", "w2", $"a2:{r}", $"sink:{r}" }), $"run {i}");
        }
    }

    [Test]
    public async Task InvokeAsync_FailingRunsAmongConcurrentRuns_DoNotDisturbOthers()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("first", async (s, ctx) =>
            {
                await Task.Yield();
                return s + 1;
            })
            .AddNode("check", (s, ctx) => s % 10 == 1 ? throw new InvalidOperationException($"bad {s}") : s * 2)
            .AddEdge(StateGraph.Start, "first").AddEdge("first", "check").AddEdge("check", StateGraph.End);
        await using var compiled = graph.Compile();

        var runs = Enumerable.Range(0, 100).Select(i => compiled.InvokeAsync(i)).ToArray();
        await Task.WhenAll(runs.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default))).Bounded();

        for (var i = 0; i < runs.Length; i++)
        {
            if (i % 10 == 0)
            {
                var ex = await Assert.ThrowsAsync<NodeFailedException>(() => runs[i]);
                Assert.That(ex!.Message, Is.EqualTo($"Node 'check' failed in step 2 (task 0) on attempt 1: bad {i + 1}"));
                Assert.That((ex.Node, ex.Step, ex.Attempts), Is.EqualTo(("check", 2, 1)));
                Assert.That(ex.InnerException, Is.TypeOf<InvalidOperationException>());
            }
            else
            {
                Assert.That(await runs[i], Is.EqualTo((i + 1) * 2));
            }
        }
    }

    [Test]
    public async Task InvokeAsync_RetryPolicy_RetriesUntilSuccess()
    {
        var attempts = new List<int>();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("flaky", int (s, ctx) =>
            {
                attempts.Add(ctx.Attempt);
                return ctx.Attempt < 3 ? throw new IOException("flaky") : s + ctx.Attempt;
            }, new NodeOptions { Retry = new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.Zero } })
            .AddEdge(StateGraph.Start, "flaky").AddEdge("flaky", StateGraph.End);
        await using var compiled = graph.Compile();

        Assert.That(await compiled.InvokeAsync(10).Bounded(), Is.EqualTo(13));
        Assert.That(attempts, Is.EqualTo(new[] { 1, 2, 3 }));
    }

    [Test]
    public async Task InvokeAsync_RetriesExhausted_FailsNamingTheLastAttempt()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("flaky", int (s, ctx) => throw new IOException($"attempt {ctx.Attempt}"), new NodeOptions { Retry = new RetryPolicy { MaxAttempts = 2, InitialDelay = TimeSpan.Zero } })
            .AddEdge(StateGraph.Start, "flaky").AddEdge("flaky", StateGraph.End);
        await using var compiled = graph.Compile();

        var ex = await Assert.ThrowsAsync<NodeFailedException>(() => compiled.InvokeAsync(0).Bounded());
        Assert.That(ex!.Message, Is.EqualTo("Node 'flaky' failed in step 1 (task 0) on attempt 2: attempt 2"));
    }

    [Test]
    public async Task InvokeAsync_ExceptionRejectedByRetryFilter_IsNotRetried()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("fatal", int (s, ctx) => throw new ArgumentException("fatal"), new NodeOptions
            {
                Retry = new RetryPolicy { MaxAttempts = 5, InitialDelay = TimeSpan.Zero, ShouldRetry = e => e is IOException },
            })
            .AddEdge(StateGraph.Start, "fatal").AddEdge("fatal", StateGraph.End);
        await using var compiled = graph.Compile();

        var ex = await Assert.ThrowsAsync<NodeFailedException>(() => compiled.InvokeAsync(0).Bounded());
        Assert.That(ex!.Attempts, Is.EqualTo(1));
    }

    [Test]
    public async Task InvokeAsync_RetryBackoff_WaitsOnTheInjectedClock()
    {
        var time = new FakeClock();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("flaky", (s, ctx) => ctx.Attempt == 1 ? throw new IOException("once") : ctx.Attempt, new NodeOptions
            {
                Retry = new RetryPolicy { MaxAttempts = 2, InitialDelay = TimeSpan.FromSeconds(30), MaxDelay = TimeSpan.FromMinutes(1), Jitter = false },
            })
            .AddEdge(StateGraph.Start, "flaky").AddEdge("flaky", StateGraph.End);
        await using var compiled = graph.Compile(new GraphCompileOptions { TimeProvider = time });

        var run = compiled.InvokeAsync(0);
        await time.WhenArmed(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.That(run.IsCompleted, Is.False);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.That(await run.Bounded(), Is.EqualTo(2));
    }

    [Test]
    public void RetryPolicy_GetDelay_IsExponentialAndCapped()
    {
        var p = new RetryPolicy { InitialDelay = TimeSpan.FromSeconds(1), BackoffFactor = 2, MaxDelay = TimeSpan.FromSeconds(5) };
        Assert.That(Enumerable.Range(2, 5).Select(p.GetDelay), Is.EqualTo(new[] { 1, 2, 4, 5, 5 }.Select(s => TimeSpan.FromSeconds(s))));
    }

    [Test]
    public async Task InvokeAsync_ResiliencePipeline_WrapsTheNode()
    {
        var pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 2, Delay = TimeSpan.Zero, ShouldHandle = new PredicateBuilder().Handle<IOException>() })
            .Build();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("flaky", (s, ctx) => ctx.Attempt < 3 ? throw new IOException("again") : ctx.Attempt * 100, new NodeOptions { ResiliencePipeline = pipeline })
            .AddEdge(StateGraph.Start, "flaky").AddEdge("flaky", StateGraph.End);
        await using var compiled = graph.Compile();

        Assert.That(await compiled.InvokeAsync(0).Bounded(), Is.EqualTo(300));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task InvokeAsync_NodeTimeout_FailsWithTimeoutEvenIfTheNodeIgnoresCancellation(bool cooperative)
    {
        var time = new FakeClock();
        var started = NewGate();
        var never = NewGate<int>();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("slow", async (s, ctx) =>
            {
                started.SetResult();
                return cooperative ? await never.Task.WaitAsync(ctx.CancellationToken) : await never.Task;
            }, new NodeOptions { Timeout = TimeSpan.FromSeconds(5) })
            .AddEdge(StateGraph.Start, "slow").AddEdge("slow", StateGraph.End);
        await using var compiled = graph.Compile(new GraphCompileOptions { TimeProvider = time });

        var run = compiled.InvokeAsync(0);
        await started.Task.Bounded();
        time.Advance(TimeSpan.FromSeconds(5));

        var ex = await Assert.ThrowsAsync<NodeFailedException>(() => run.Bounded());
        Assert.That(ex!.Message, Is.EqualTo("Node 'slow' failed in step 1 (task 0) on attempt 1: Node 'slow' timed out after 00:00:05 (step 1, attempt 1)."));
        Assert.That(ex.InnerException, Is.TypeOf<TimeoutException>());
        never.SetResult(0);
    }

    [Test]
    public async Task InvokeAsync_RunTimeout_FailsTheRunWithTimeoutException()
    {
        var time = new FakeClock();
        var started = NewGate();
        var never = NewGate<int>();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("slow", async (s, ctx) =>
            {
                started.SetResult();
                return await never.Task.WaitAsync(ctx.CancellationToken);
            })
            .AddEdge(StateGraph.Start, "slow").AddEdge("slow", StateGraph.End);
        await using var compiled = graph.Compile(new GraphCompileOptions { TimeProvider = time });

        var run = compiled.InvokeAsync(0, new RunOptions { RunId = "r1", Timeout = TimeSpan.FromMinutes(1) });
        await started.Task.Bounded();
        time.Advance(TimeSpan.FromMinutes(1));

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => run.Bounded());
        Assert.That(ex!.Message, Is.EqualTo("Run 'r1' exceeded its timeout of 00:01:00 in step 1."));
    }

    [Test]
    public async Task InvokeAsync_Cancelled_CompletesCancelledAndCancelsTheNode()
    {
        var started = NewGate();
        var nodeSawCancel = NewGate();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("slow", async (s, ctx) =>
            {
                ctx.CancellationToken.Register(() => nodeSawCancel.TrySetResult());
                started.SetResult();
                return await NewGate<int>().Task.WaitAsync(ctx.CancellationToken);
            })
            .AddEdge(StateGraph.Start, "slow").AddEdge("slow", StateGraph.End);
        await using var compiled = graph.Compile();
        using var cts = new CancellationTokenSource();

        var run = compiled.InvokeAsync(0, cancellationToken: cts.Token);
        await started.Task.Bounded();
        await cts.CancelAsync();

        await Assert.ThatAsync(() => run.Bounded(), Throws.InstanceOf<OperationCanceledException>());
        await nodeSawCancel.Task.Bounded();
        Assert.That(run.IsCanceled, Is.True);
    }

    [Test]
    public async Task InvokeAsync_AlreadyCancelledToken_CompletesCancelledWithoutRunningNodes()
    {
        var ran = false;
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("a", s =>
            {
                ran = true;
                return s;
            })
            .AddEdge(StateGraph.Start, "a").AddEdge("a", StateGraph.End);
        await using var compiled = graph.Compile();

        await Assert.ThatAsync(() => compiled.InvokeAsync(0, cancellationToken: new CancellationToken(true)).Bounded(), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(ran, Is.False);
    }

    [Test]
    public async Task InvokeAsync_JoinLeftPartial_FailsByDefaultAndWarnsUnderPolicy()
    {
        static StateGraph<IReadOnlyList<string>, IReadOnlyList<string>> Build() => Trace()
            .AddNode("a", _ => Log("a"))
            .AddNode("b", _ => Log("b"))
            .AddNode("t", _ => Log("t"))
            .AddConditionalEdges(StateGraph.Start, _ => "a", "a", "b")
            .AddJoin(["a", "b"], "t")
            .AddEdge("t", StateGraph.End);

        await using var failing = Build().Compile();
        var ex = await Assert.ThrowsAsync<JoinSkippedException>(() => failing.InvokeAsync([]).Bounded());
        Assert.That(ex!.Message, Is.EqualTo("The run ended but join into 't' never fired: [a] finished, [b] did not run. Set GraphCompileOptions.JoinSkipped = JoinSkippedPolicy.Warn if this is intended."));

        await using var warning = Build().Compile(new GraphCompileOptions { JoinSkipped = JoinSkippedPolicy.Warn });
        var events = await CollectAsync(warning.StreamAsync([], new RunOptions { RunId = "w" })).Bounded();
        var skipped = events.OfType<JoinSkippedEvent>().Single();
        Assert.That((skipped.Target, skipped.FinishedSources, skipped.MissingSources), Is.EqualTo(("t", (IReadOnlyList<string>)["a"], (IReadOnlyList<string>)["b"])).UsingPropertiesComparer());
        Assert.That(events[^1], Is.TypeOf<RunFinishedEvent<IReadOnlyList<string>>>());
    }

    [Test]
    public async Task InvokeAsync_RouterToWorkerWithoutSend_FailsWithInvalidRoute()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddWorker<int>("w", x => x)
            .AddConditionalEdges(StateGraph.Start, _ => "w", "w")
            .AddEdge("w", StateGraph.End);
        await using var compiled = graph.Compile();

        var ex = await Assert.ThrowsAsync<InvalidRouteException>(() => compiled.InvokeAsync(0).Bounded());
        Assert.That(ex!.Message, Is.EqualTo("Node '__start__' routed to worker node 'w' without a Send; use Route.Sends(Send.To(\"w\", argument))."));
    }

    [Test]
    public async Task InvokeAsync_SendWithWrongArgumentType_FailsWithInvalidRoute()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddWorker<int>("w", x => x)
            .AddConditionalEdges(StateGraph.Start, _ => Send.To("w", "text"), "w")
            .AddEdge("w", StateGraph.End);
        await using var compiled = graph.Compile();

        var ex = await Assert.ThrowsAsync<InvalidRouteException>(() => compiled.InvokeAsync(0).Bounded());
        Assert.That(ex!.Message, Is.EqualTo("Node '__start__' sent a String to worker 'w', which expects Int32."));
    }

    [Test]
    public async Task InvokeAsync_MaxParallelismOne_RunsOneTaskOfTheNodeAtATimeAcrossRuns()
    {
        var inside = 0;
        var maxInside = 0;
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("serial", async (s, ctx) =>
            {
                var now = Interlocked.Increment(ref inside);
                Support.Peak.Raise(ref maxInside, now);
                await Task.Yield();
                Interlocked.Decrement(ref inside);
                return s + 1;
            }, new NodeOptions { MaxParallelism = 1 })
            .AddEdge(StateGraph.Start, "serial").AddEdge("serial", StateGraph.End);
        await using var compiled = graph.Compile();

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => compiled.InvokeAsync(i))).Bounded();

        Assert.That(results, Is.EqualTo(Enumerable.Range(1, 200)));
        Assert.That(maxInside, Is.EqualTo(1));
    }

    [Test]
    public async Task InvokeAsync_MaxConcurrentRuns_CapsRunsInFlight()
    {
        var inside = 0;
        var maxInside = 0;
        var release = NewGate();
        var twoInside = NewGate();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("n", async (s, ctx) =>
            {
                var now = Interlocked.Increment(ref inside);
                Support.Peak.Raise(ref maxInside, now);
                if (now == 2)
                {
                    twoInside.TrySetResult();
                }

                await release.Task.WaitAsync(Wait);
                Interlocked.Decrement(ref inside);
                return s;
            }, new NodeOptions { MaxParallelism = NodeOptions.Unbounded })
            .AddEdge(StateGraph.Start, "n").AddEdge("n", StateGraph.End);
        await using var compiled = graph.Compile(new GraphCompileOptions { MaxConcurrentRuns = 2 });

        var runs = Enumerable.Range(0, 6).Select(i => compiled.InvokeAsync(i)).ToArray();
        await twoInside.Task.Bounded();
        release.SetResult();

        Assert.That(await Task.WhenAll(runs).Bounded(), Is.EqualTo(Enumerable.Range(0, 6)));
        Assert.That(maxInside, Is.EqualTo(2));
    }

    [Test]
    public async Task InvokeAsync_AfterDispose_Throws()
    {
        var compiled = new StateGraph<int, int>(Reducers.Replace<int>()).AddNode("a", s => s).AddEdge(StateGraph.Start, "a").AddEdge("a", StateGraph.End).Compile();
        await compiled.DisposeAsync().AsTask().WaitAsync(TestGraphs.Wait);

        Assert.Throws<ObjectDisposedException>(() => compiled.InvokeAsync(0));
    }

    [Test]
    public async Task GetPlannerState_AfterRun_ReportsStepAndJoinProgress()
    {
        var graph = Trace()
            .AddNode("a", _ => Log("a")).AddNode("b", _ => Log("b")).AddNode("t", _ => Log("t"))
            .AddConditionalEdges(StateGraph.Start, _ => "a", "a", "b")
            .AddJoin(["a", "b"], "t").AddEdge("t", StateGraph.End);
        await using var compiled = graph.Compile(new GraphCompileOptions { JoinSkipped = JoinSkippedPolicy.Warn });

        var run = compiled.NewRun([], null, null, null).Started(CancellationToken.None);
        await run.Completion.Bounded();
        var planner = run.GetPlannerState();

        Assert.That(planner.Step, Is.EqualTo(1));
        Assert.That(planner.Joins.Single().Finished, Is.EqualTo(new[] { "a" }));
    }
}
