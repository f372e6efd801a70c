using Graph.Engine.Actors;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

/// <summary>
/// Asynchronous child starts that may return ignore (OTP's start function returning <c>ignore</c>), in the style
/// of OTP's supervisor_SUITE: +x started, -x terminated, ?x its start returned ignore. Gates, no sleeps.
/// </summary>
public class SupervisorAsyncStartTests
{
    [Test]
    public async Task Init_IgnoredChild_IsKeptWithoutActorAndNotStarted()
    {
        await using var system = new ActorSystem("s");
        using var events = new EventRecorder(system);
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(system, "sup", [Probe.Spec("a", journal), Scripted("b", journal, false), Probe.Spec("c", journal)]).Bounded();

        Assert.That(Trace(journal.Entries), Is.EqualTo("+a ?b +c".Split(' ')));
        var children = await supervisor.WhichChildrenAsync().Bounded();
        Assert.That(children.Select(c => (c.Id, c.Child is null)), Is.EqualTo(new[] { ("a", false), ("b", true), ("c", false) }));
        Assert.That((await supervisor.GetChildSpecAsync("b").Bounded()).Id, Is.EqualTo("b"));
        Assert.That(await supervisor.CountChildrenAsync().Bounded(), Is.EqualTo(new ChildCounts(3, 2, 0, 3)));
        Assert.That(events.Of<ChildStarted>().Select(e => e.ChildId), Is.EqualTo(new[] { "a", "c" }));
        Assert.That(supervisor.TryGetChild<Cmd>("b", out _), Is.False);
    }

    [Test]
    public async Task RestartChild_OnIgnoredChild_TriesTheStartAgain()
    {
        await using var system = new ActorSystem("s");
        using var events = new EventRecorder(system);
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(system, "sup", [Scripted("b", journal, false, false, false)]).Bounded();

        Assert.That(await supervisor.RestartChildOrNullAsync("b").Bounded(), Is.Null);
        Assert.That(async () => await supervisor.RestartChildAsync("b").Bounded(), Throws.InvalidOperationException.With.Message.Contains("ignore"));
        var child = await supervisor.RestartChildOrNullAsync("b").Bounded();

        Assert.That(child, Is.Not.Null);
        Assert.That(Trace(journal.Entries), Is.EqualTo("?b ?b ?b +b".Split(' ')));
        await supervisor.GetChild<Cmd>("b").PingAsync();
        Assert.That(events.Of<ChildStarted>().Select(e => e.ChildId), Is.EqualTo(new[] { "b" }));
        Assert.That(events.Of<ChildRestarted>(), Is.Empty, "restart_child is not a restart");
    }

    [Test]
    public async Task GroupRestart_OneForAll_StartsIgnoredMemberAgain()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(
            system,
            "sup",
            [Probe.Spec("a", journal), Scripted("b", journal, false, true), Probe.Spec("c", journal)],
            new SupervisorOptions { Strategy = SupervisionStrategy.OneForAll }).Bounded();
        var mark = journal.Count;

        supervisor.GetChild<Cmd>("c").Tell(Cmd.Fail());
        await journal.WaitUntil(j => j.CountOf("start:c") == 2, "the group restarted");
        await supervisor.GetChild<Cmd>("b").PingAsync();

        var trace = Trace(journal.Since(mark)).ToList();
        trace.Remove("-c");
        Assert.That(trace, Is.EqualTo("-a +a +b +c".Split(' ')));
    }

    [Test]
    public async Task GroupRestart_IgnoredAgain_StaysIgnoredAndTheRestStart()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(
            system,
            "sup",
            [Probe.Spec("a", journal), Scripted("b", journal, false, false), Probe.Spec("c", journal)],
            new SupervisorOptions { Strategy = SupervisionStrategy.OneForAll }).Bounded();
        var mark = journal.Count;

        supervisor.GetChild<Cmd>("a").Tell(Cmd.Fail());
        await journal.WaitUntil(j => j.CountOf("start:c") == 2, "the group restarted");
        await supervisor.GetChild<Cmd>("c").PingAsync();

        var trace = Trace(journal.Since(mark)).ToList();
        trace.Remove("-a");
        Assert.That(trace, Is.EqualTo("-c +a ?b +c".Split(' ')));
        Assert.That((await supervisor.WhichChildrenAsync().Bounded()).Single(c => c.Id == "b").Child, Is.Null);
    }

    [Test]
    public async Task Respawn_IgnoredAfterExit_KeptWithoutActorAndNoChildRestarted()
    {
        await using var system = new ActorSystem("s");
        using var events = new EventRecorder(system);
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(system, "sup", [Scripted("b", journal, true, false)], new SupervisorOptions { MaxRestarts = 1 }).Bounded();

        // An exit (not an in-place restart after a failure) makes the supervisor run b's start again.
        supervisor.GetChild<Cmd>("b").Tell(Cmd.StopSelf);
        await journal.WaitUntil(j => j.CountOf("ignore:b") == 1, "b's respawn was ignored");
        var b = (await supervisor.WhichChildrenAsync().Bounded()).Single();

        Assert.That(b.Child, Is.Null);
        Assert.That(events.Of<ChildRestarted>(), Is.Empty);
        Assert.That(supervisor.State, Is.EqualTo(ActorState.Running));
    }

    [Test]
    public async Task StartChild_GatedAsyncStart_AnswersWhenTheStartCompletes()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(system, "sup", [Probe.Spec("a", journal)]).Bounded();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource<ChildStart<Cmd>>(TaskCreationOptions.RunContinuationsAsynchronously);

        var starting = supervisor.StartChildOrNullAsync(ChildSpec.WorkerAsync<Cmd>("b", _ =>
        {
            entered.TrySetResult();
            return gate.Task;
        }));
        await Wait.For(entered.Task, "b's start began");
        Assert.That(starting.IsCompleted, Is.False);
        gate.SetResult(ChildStart.Run(Probe.Factory("b", journal)));
        var child = await starting.Bounded();

        Assert.That(child, Is.Not.Null);
        await supervisor.GetChild<Cmd>("b").PingAsync();
        Assert.That(Trace(journal.Entries), Is.EqualTo("+a +b".Split(' ')));
    }

    [Test]
    public async Task StartChild_Ignored_NullOrThrows_TemporaryDropped()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(system, "sup", []).Bounded();

        Assert.That(await supervisor.StartChildOrNullAsync(Scripted("p", journal, false)).Bounded(), Is.Null);
        Assert.That(async () => await supervisor.StartChildAsync(Scripted("q", journal, false)).Bounded(), Throws.InvalidOperationException);
        Assert.That(await supervisor.StartChildOrNullAsync(Scripted("t", journal, [false], RestartType.Temporary)).Bounded(), Is.Null);

        Assert.That((await supervisor.WhichChildrenAsync().Bounded()).Select(c => c.Id), Is.EqualTo(new[] { "p", "q" }), "kept, except the temporary one");
    }

    [Test]
    public async Task AsyncStartThatThrows_IsAStartFailure()
    {
        await using var system = new ActorSystem("s");
        var boom = ChildSpec.WorkerAsync<Cmd>("x", async _ =>
        {
            await Task.Yield();
            throw new InvalidOperationException("boom");
        });

        Assert.That(async () => await Supervisor.StartAsync(system, "sup1", [boom]).Bounded(), Throws.TypeOf<ChildStartException>());
        var supervisor = await Supervisor.StartAsync(system, "sup2", []).Bounded();
        Assert.That(async () => await supervisor.StartChildOrNullAsync(boom).Bounded(), Throws.TypeOf<ChildStartException>().With.InnerException.Message.EqualTo("boom"));
        Assert.That(await supervisor.WhichChildrenAsync().Bounded(), Is.Empty);
    }

    /// <summary>A worker whose successive starts run (true) or ignore (false) per <paramref name="decisions"/>; after the script, it runs.</summary>
    private static ChildSpec Scripted(string id, Journal journal, params bool[] decisions) => Scripted(id, journal, decisions, RestartType.Permanent);

    private static ChildSpec Scripted(string id, Journal journal, bool[] decisions, RestartType restart)
    {
        var starts = 0;
        return ChildSpec.WorkerAsync<Cmd>(
            id,
            async _ =>
            {
                await Task.Yield();
                var n = Interlocked.Increment(ref starts) - 1;
                if (n < decisions.Length && !decisions[n])
                {
                    journal.Add("ignore:" + id);
                    return ChildStart.Ignore<Cmd>();
                }

                return ChildStart.Run(Probe.Factory(id, journal));
            },
            restart);
    }

    private static IEnumerable<string> Trace(IEnumerable<string> entries) =>
        entries.Where(e => !e.StartsWith("got:", StringComparison.Ordinal)).Select(e => e.Split(':') switch
        {
            ["start", var id] => "+" + id,
            ["stop", var id] => "-" + id,
            ["ignore", var id] => "?" + id,
            _ => e,
        });
}
