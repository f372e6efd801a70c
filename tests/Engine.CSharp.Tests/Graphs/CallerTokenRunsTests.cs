using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs;

/// <summary>The caller's token watched once per token (and core stripe) for all of a graph's runs (<see cref="CallerTokens{TState, TUpdate}"/>).</summary>
public class CallerTokenRunsTests
{
    [Test]
    public async Task InvokeAsync_ManyRunsOnTwoSharedTokensOneCancelled_ItsRunsEndCanceledTheOthersFinishAndNoRegistrationIsLeft()
    {
        var gate = NewGate();
        await using var compiled = Waiting(gate).Compile();
        using var a = new CancellationTokenSource();
        using var b = new CancellationTokenSource();
        var onA = new List<Task<int>>();
        var others = new List<Task<int>>();
        for (var i = 0; i < 300; i++)
        {
            var token = (i % 3) switch { 0 => a.Token, 1 => b.Token, _ => CancellationToken.None };
            (i % 3 == 0 ? onA : others).Add(compiled.InvokeAsync(0, cancellationToken: token));
        }

        Assert.That(compiled.CallerTokens.Registrations, Is.InRange(2, 2 * compiled.CallerTokens.StripeCount), "one registration per shared token and core stripe, not one per run");
        await a.CancelAsync();

        // a's runs end Canceled while the node still waits (most of them in its backlog), without its cooperation.
        foreach (var run in onA)
        {
            await Assert.ThatAsync(() => run.Bounded(), Throws.InstanceOf<OperationCanceledException>());
            Assert.That(run.IsCanceled, Is.True);
        }

        Assert.That(others.Any(r => r.IsCompleted), Is.False);
        gate.SetResult();
        Assert.That(await Task.WhenAll(others).Bounded(), Is.All.EqualTo(2));
        Assert.That(compiled.CallerTokens.KeptRuns, Is.Zero, "every run left its group");
        Assert.That(compiled.CallerTokens.Registrations, Is.InRange(1, compiled.CallerTokens.StripeCount), "only the kept groups (one per stripe at most) stay registered");

        await compiled.DisposeAsync();
        Assert.That(compiled.CallerTokens.Registrations, Is.Zero);
    }

    [Test]
    public async Task InvokeAsync_RunsOneAfterAnotherWithNewTokens_KeepOneRegistration()
    {
        await using var compiled = Chain(3).Compile();
        var tokens = new List<CancellationTokenSource>();
        for (var i = 0; i < 20; i++)
        {
            var cts = new CancellationTokenSource();
            tokens.Add(cts);
            Assert.That(await compiled.InvokeAsync(0, cancellationToken: cts.Token).Bounded(), Is.EqualTo(3));
            Assert.That(await compiled.InvokeAsync(0, cancellationToken: cts.Token).Bounded(), Is.EqualTo(3));
            Assert.That(compiled.CallerTokens.Registrations, Is.InRange(1, compiled.CallerTokens.StripeCount));
        }

        foreach (var cts in tokens)
        {
            await cts.CancelAsync(); // the groups replaced are unregistered: nothing of the graph runs
            cts.Dispose();
        }

        Assert.That(compiled.CallerTokens.KeptRuns, Is.Zero);
    }

    [Test]
    public async Task InvokeAsync_DistinctTokensWhileRunsWait_EachCancelsOnlyItsRunAndLeavesNoRegistration()
    {
        var gate = NewGate();
        await using var compiled = Waiting(gate).Compile();
        var sources = Enumerable.Range(0, 20).Select(_ => new CancellationTokenSource()).ToArray();
        var runs = sources.Select(s => compiled.InvokeAsync(0, cancellationToken: s.Token)).ToArray();
        Assert.That(compiled.CallerTokens.Registrations, Is.EqualTo(20));

        for (var i = 0; i < sources.Length; i += 2)
        {
            await sources[i].CancelAsync();
            await Assert.ThatAsync(() => runs[i].Bounded(), Throws.InstanceOf<OperationCanceledException>());
        }

        Assert.That(runs.Where((_, i) => i % 2 == 1).Any(r => r.IsCompleted), Is.False);
        gate.SetResult();
        for (var i = 1; i < runs.Length; i += 2)
        {
            Assert.That(await runs[i].Bounded(), Is.EqualTo(2));
        }

        Assert.That(compiled.CallerTokens.Registrations, Is.InRange(1, compiled.CallerTokens.StripeCount), "only the kept groups (one per stripe at most) stay registered");
        Assert.That(compiled.CallerTokens.KeptRuns, Is.Zero);
        foreach (var source in sources)
        {
            source.Dispose();
        }
    }

    [Test]
    [Repeat(20)]
    public async Task InvokeAsync_TokenFiresWhileRunsJoin_EveryRunEndsCanceledOrFinishedAndNoneStaysLinked()
    {
        var gate = NewGate();
        await using var compiled = Waiting(gate).Compile();
        using var cts = new CancellationTokenSource();
        var ready = new Barrier(3);
        var starters = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var started = new List<Task<int>>();
            ready.SignalAndWait(Wait);
            for (var i = 0; i < 500; i++)
            {
                started.Add(compiled.InvokeAsync(0, cancellationToken: cts.Token));
            }

            return started;
        })).ToArray();
        ready.SignalAndWait(Wait);
        await cts.CancelAsync();
        var runs = (await Task.WhenAll(starters).Bounded()).SelectMany(r => r).ToArray();
        gate.SetResult();

        await Task.WhenAny(Task.WhenAll(runs)).Bounded(); // every run ends
        Assert.That(runs.All(r => r.IsCanceled || (r.IsCompletedSuccessfully && r.Result == 2)), Is.True);
        Assert.That(runs.Count(r => r.IsCanceled), Is.GreaterThan(0));
        Assert.That(compiled.CallerTokens.KeptRuns, Is.Zero);
        Assert.That(compiled.CallerTokens.Registrations, Is.InRange(1, compiled.CallerTokens.StripeCount));
    }

    /// <summary>wait (one task at a time, a mailbox of 8: the rest wait in its backlog; ignores its token) then next.</summary>
    private static StateGraph<int, int> Waiting(TaskCompletionSource gate) =>
        new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("wait", async (int s, NodeContext _) =>
            {
                await gate.Task;
                return s + 1;
            }, new NodeOptions { MailboxCapacity = 8, MaxParallelism = 1 })
            .AddNode("next", s => s + 1)
            .AddEdge(StateGraph.Start, "wait").AddEdge("wait", "next").AddEdge("next", StateGraph.End);
}
