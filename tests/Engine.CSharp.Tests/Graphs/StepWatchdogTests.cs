using Graph.Engine.Graphs;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Graphs;

/// <summary>
/// A thread claiming a step's tasks queues no helper; the executor's watchdog does, when the thread has been on a step
/// with unclaimed tasks for a tick: a task that blocks its thread holds its unclaimed siblings back for one to two
/// watchdog periods.
/// </summary>
public class StepWatchdogTests
{
    private static readonly TimeSpan Period = StepWatchdog<int, int>.Period;

    [Test]
    [Repeat(5)]
    public async Task InvokeAsync_FirstTaskBlocksOnAGate_SiblingsRunAtTheSecondTick()
    {
        var clock = new FakeClock();
        var aStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var graph = new StateGraph<int, int>(Reducers.Sum<int>())
            .AddNode("a", _ =>
            {
                aStarted.TrySetResult();

                // Blocks its thread (no await) until its sibling 'c' ran: only another thread can claim 'c'.
                return cRan.Task.Wait(Wait.Timeout) ? 1 : throw new TimeoutException("'a' waited for 'c', which never ran.");
            })
            .AddNode("b", _ => 1)
            .AddNode("c", _ =>
            {
                cRan.TrySetResult();
                return 1;
            });
        foreach (var name in new[] { "a", "b", "c" })
        {
            graph.AddEdge(StateGraph.Start, name).AddEdge(name, StateGraph.End);
        }

        await using var compiled = graph.Compile(GraphCompileOptions.Default with { TimeProvider = clock });
        var armedBefore = clock.ArmedTimers;

        // The run starts on a pool thread, which claims 'a' first (nodes in name order) and blocks in it.
        var run = Task.Run(() => compiled.InvokeAsync(0));
        await Wait.For(aStarted.Task, "'a' started");
        await clock.WhenArmed(Period);
        Assert.That(cRan.Task.IsCompleted, Is.False, "no helper is queued before the watchdog looks");

        clock.Advance(Period);
        Assert.That(cRan.Task.IsCompleted, Is.False, "the first look only notes the run");

        clock.Advance(Period);
        Assert.That(await run.Bounded(), Is.EqualTo(3));

        // With no step left unclaimed, the next look disarms the timer.
        clock.Advance(Period);
        Assert.That(clock.ArmedTimers, Is.EqualTo(armedBefore));
    }

    [Test]
    [Repeat(3)]
    public async Task DisposeAsync_WhileTheWatchdogIsArmed_DisposesItsTimer()
    {
        var clock = new FakeClock();
        var aStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var graph = new StateGraph<int, int>(Reducers.Sum<int>())
            .AddNode("a", _ =>
            {
                aStarted.TrySetResult();
                return release.Task.Wait(Wait.Timeout) ? 1 : throw new TimeoutException("'a' was never released.");
            })
            .AddNode("b", _ => 1)
            .AddNode("c", _ => 1);
        foreach (var name in new[] { "a", "b", "c" })
        {
            graph.AddEdge(StateGraph.Start, name).AddEdge(name, StateGraph.End);
        }

        var compiled = graph.Compile(GraphCompileOptions.Default with { TimeProvider = clock });
        var armedBefore = clock.ArmedTimers;
        var run = Task.Run(() => compiled.InvokeAsync(0));
        await Wait.For(aStarted.Task, "'a' started");
        await clock.WhenArmed(Period);

        // Released, 'a' returns and its thread claims 'b' and 'c' itself; the clock has not moved, so no look
        // has disarmed the timer.
        release.SetResult();
        Assert.That(await run.Bounded(), Is.EqualTo(3));
        Assert.That(clock.ArmedTimers, Is.EqualTo(armedBefore + 1), "armed until a look finds nothing unclaimed");

        await compiled.DisposeAsync().Bounded();
        Assert.That(clock.ArmedTimers, Is.EqualTo(armedBefore), "the compiled graph's disposal disposes the watchdog's timer");
    }

    [Test]
    [Repeat(3)]
    public async Task InvokeAsync_EveryMappedTaskBlocksUntilAllStarted_FinishesOnRealTime()
    {
        // Each task blocks its thread until all have started: the watchdog queues a helper per tick for as long as
        // tasks are unclaimed, each helper blocking in turn, so all four run at once on the real clock.
        const int items = 4;
        using var started = new CountdownEvent(items);
        var graph = new StateGraph<int, int>(Reducers.Sum<int>())
            .AddWorker<int>("map", (int x) =>
            {
                started.Signal();
                return started.Wait(Wait.Timeout) ? x : throw new TimeoutException($"task {x} waited for its siblings to start.");
            })
            .AddConditionalEdges(StateGraph.Start, _ => Route.Sends(Enumerable.Range(1, items).Select(i => Send.To("map", i))), "map")
            .AddEdge("map", StateGraph.End);
        await using var compiled = graph.Compile();

        var result = await Task.Run(() => compiled.InvokeAsync(0)).Bounded();

        Assert.That(result, Is.EqualTo(items * (items + 1) / 2));
    }
}
