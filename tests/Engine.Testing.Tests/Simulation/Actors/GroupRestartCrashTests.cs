using System.Collections.Concurrent;
using Graph.Engine.Actors;
using Graph.Engine.Supervision;

namespace Graph.Engine.Testing.Tests.Simulation.Actors;

/// <summary>
/// A child crashes while its supervisor is restarting the group: child b is busy when a crashes, and throws when the
/// group restart stops it (a brutal shutdown cancels its handler). One group restart, every child running again, and
/// an orderly stop after it.
/// </summary>
public class GroupRestartCrashTests
{
    [TestCase(SupervisionStrategy.OneForAll)]
    [TestCase(SupervisionStrategy.RestForOne)]
    public async Task GroupRestart_SiblingCrashesWhileBeingStopped_OneRestartThenOrderlyStop(SupervisionStrategy strategy)
    {
        await using var system = new ActorSystem("group", new ActorSystemOptions { TimeProvider = new SimulatedClock() });
        var ledger = new Ledger();
        using var letters = system.DeadLetters.Subscribe(ledger);
        var starts = new ConcurrentDictionary<string, int>();
        var bBusy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bStoppedWhileBusy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var restarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = new ConcurrentDictionary<int, TaskCompletionSource>();
        ChildSpec Child(string id) => ChildSpec.Worker<Msg>(id, () =>
        {
            var n = starts.AddOrUpdate(id, 1, (_, k) => k + 1);
            if (starts.Count == 3 && starts.Values.All(k => k == 2))
            {
                restarted.TrySetResult();
            }

            return new BusyThenCrash(id, n, ledger, bBusy, bStoppedWhileBusy, handled);
        }, shutdown: ChildShutdown.Brutal);  // a brutal shutdown cancels the busy handler at once: no clock needed
        var supervisor = await BoundedWait.For(
            Supervisor.StartAsync(system, "sup", [Child("a"), Child("b"), Child("c")], new SupervisorOptions { Strategy = strategy, MaxRestarts = 10 }),
            "the supervisor started");

        Send(supervisor, "b", new Msg(1, Act.Work));   // b's first instance holds this one until it is stopped
        await BoundedWait.For(bBusy.Task, "b is busy");
        Send(supervisor, "a", new Msg(2, Act.Crash));  // a crashes: the group restart stops b, which crashes then
        await BoundedWait.For(bStoppedWhileBusy.Task, "the group restart stopped b while it was busy");
        await BoundedWait.For(restarted.Task, "a, b and c were each started again");

        for (var id = 10; id < 13; id++)
        {
            handled[id] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Send(supervisor, new[] { "a", "b", "c" }[id - 10], new Msg(id, Act.Work));
        }

        await BoundedWait.For(Task.WhenAll(Enumerable.Range(10, 3).Select(id => handled[id].Task)), "each new instance handled its message");
        var children = await BoundedWait.For(supervisor.WhichChildrenAsync(), "the supervisor answered");   // after every failure report sent before
        Assert.Multiple(() =>
        {
            Assert.That(starts, Is.EquivalentTo(new Dictionary<string, int> { ["a"] = 2, ["b"] = 2, ["c"] = 2 }), "b's crash while being stopped is part of the restart, not a second one");
            Assert.That(children.Select(c => c.Child?.State), Is.All.EqualTo(ActorState.Running));
        });

        await BoundedWait.For(supervisor.StopAsync(), "the supervisor stopped");
        ledger.Stopped();
        await system.DisposeAsync();
        Assert.Multiple(() =>
        {
            Assert.That(supervisor.Completion.IsCompletedSuccessfully, Is.True, () => $"an orderly stop ended {supervisor.Completion.Status}: {supervisor.Completion.Exception}");
            Assert.That(system.Completion.IsCompletedSuccessfully, Is.True, () => $"{system.Completion.Exception}");
            Assert.That(ledger.Unconserved(), Is.Empty);
            Assert.That(ledger.RanAfterStop, Is.Empty);
        });

        void Send(Supervisor s, string child, Msg message)
        {
            ledger.Sent(message, child);
            s.GetChild<Msg>(child).Tell(message);
        }
    }

    /// <summary>b's first instance blocks on its first message until its incarnation is cancelled, then crashes.</summary>
    private sealed class BusyThenCrash(
        string id, int incarnation, Ledger ledger, TaskCompletionSource busy, TaskCompletionSource stoppedWhileBusy, ConcurrentDictionary<int, TaskCompletionSource> handled) : IActor<Msg>
    {
        public async ValueTask ReceiveAsync(Msg message, ActorContext context)
        {
            ledger.Entered(id, message);
            if (id == "b" && incarnation == 1)
            {
                busy.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, context.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                    stoppedWhileBusy.TrySetResult();
                    throw new InvalidOperationException("b crashed while the group restart stopped it");
                }
            }

            if (message.Act == Act.Crash && ledger.FirstCrash(message))
            {
                throw new InvalidOperationException($"{id} crashed on message {message.Id}");
            }

            ledger.Processed(message);
            handled.GetValueOrDefault(message.Id)?.TrySetResult();
        }
    }
}
