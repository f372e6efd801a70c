using Graph.Engine.Actors;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

/// <summary>Stopping supervisors while their children stop and restart on their own is a stop, never a failure.</summary>
public class SupervisorOrderlyStopTests
{
    [Test]
    public async Task StopAsync_ManySupervisorsWhoseWorkerStopsItselfUnderTraffic_NeverFaultsSystemCompletion()
    {
        for (var round = 0; round < 40; round++)
        {
            var system = new ActorSystem("r");
            using var events = new EventRecorder(system);
            var lenient = new SupervisorOptions { MaxRestarts = 1_000_000 };
            var supervisors = new List<Supervisor>();
            for (var i = 0; i < 50; i++)
            {
                supervisors.Add(await Supervisor.StartAsync(system, "s" + i, [ChildSpec.Worker("w", () => new SelfStopper(), RestartType.Permanent)], lenient).Bounded());
            }

            using var feeding = new CancellationTokenSource();
            var feeders = supervisors.Select(s => Task.Run(async () =>
            {
                while (!feeding.IsCancellationRequested && s.State <= ActorState.Running)
                {
                    if (s.TryGetChild<Cmd>("w", out var w))
                    {
                        w.TryPost(Cmd.StopSelf);
                    }

                    await Task.Yield();
                }
            })).ToList();

            await events.WaitForAsync<ChildRestarted>(100);
            await Task.WhenAll(supervisors.Select(s => s.StopAsync())).Bounded();
            await feeding.CancelAsync();
            await Task.WhenAll(feeders).Bounded();
            await system.DisposeAsync().AsTask().Bounded();

            Assert.That(system.Completion.IsFaulted, Is.False, () => $"round {round}: {system.Completion.Exception}");
        }
    }

    [Test]
    public async Task StopAsync_ThousandTreesStoppedWhileMessagesFlow_NeverFaultsSystemCompletion()
    {
        var system = new ActorSystem("r");
        var lenient = new SupervisorOptions { MaxRestarts = 1_000_000, Strategy = SupervisionStrategy.OneForAll };
        var trees = new List<Supervisor>();
        for (var i = 0; i < 1000; i++)
        {
            trees.Add(await Supervisor.StartAsync(
                system,
                "t" + i,
                [ChildSpec.Worker("a", () => new SelfStopper()), ChildSpec.Supervisor("inner", lenient, [ChildSpec.Worker("b", () => new SelfStopper())])],
                lenient).Bounded());
        }

        using var feeding = new CancellationTokenSource();
        using var events = new EventRecorder(system);
        var feeder = Task.Run(async () =>
        {
            while (!feeding.IsCancellationRequested)
            {
                foreach (var tree in trees)
                {
                    if (tree.TryGetChild<Cmd>("a", out var a))
                    {
                        a.TryPost(Cmd.StopSelf);
                    }

                    if (TryGetSupervisor(tree, "inner") is { } inner && inner.TryGetChild<Cmd>("b", out var b))
                    {
                        b.TryPost(Cmd.StopSelf);
                    }
                }

                await Task.Yield();
            }
        });

        // Restarts are flowing in many trees when the stop begins (a few hundred is enough, and keeps the wait short on a loaded machine).
        await events.WaitForAsync<ChildRestarted>(300);
        await Task.WhenAll(trees.Select(t => t.StopAsync())).Bounded();
        await feeding.CancelAsync();
        await feeder.Bounded();
        await system.DisposeAsync().AsTask().Bounded();

        Assert.That(system.Completion.IsFaulted, Is.False, () => system.Completion.Exception?.ToString() ?? string.Empty);
    }

    private static Supervisor? TryGetSupervisor(Supervisor parent, string id)
    {
        try
        {
            return parent.GetSupervisor(id);
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
    }

    private sealed class SelfStopper : IActor<Cmd>
    {
        public ValueTask ReceiveAsync(Cmd message, ActorContext context)
        {
            context.Stop();
            return ValueTask.CompletedTask;
        }
    }
}
