using System.Collections.Concurrent;
using Graph.Engine.Actors;
using Graph.Engine.Diagnostics;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Actors;

public class ActorLifecycleTests
{
    private static ValueTask Ignore<T>(T message, ActorContext context) => ValueTask.CompletedTask;

    [Test]
    public async Task StopAsync_WithQueuedMessages_DrainsThemFirst()
    {
        await using var system = new ActorSystem();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var processed = new ConcurrentQueue<int>();
        var actor = system.Spawn<int>("a", async (m, _) =>
        {
            await gate.Task.WaitAsync(Wait.Timeout);
            processed.Enqueue(m);
        });
        for (var i = 0; i < 5; i++)
        {
            actor.Tell(i);
        }

        var closed = actor.StoppingToken.WhenCancelled();
        var stopping = actor.StopAsync(Timeout.InfiniteTimeSpan);
        await Wait.For(closed, "the actor is stopping");
        Assert.That(actor.State, Is.EqualTo(ActorState.Stopping));
        Assert.That(actor.TryPost(99), Is.EqualTo(PostResult.ActorStopped), "a stopping actor accepts nothing");
        gate.SetResult();
        await stopping.Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(processed, Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
            Assert.That(actor.State, Is.EqualTo(ActorState.Stopped));
            Assert.That(system.Find(actor.Path), Is.Null);
        });
    }

    [Test]
    public async Task StopAsync_DrainTimeoutExpires_CancelsHandlerAndDeadLettersTheRest()
    {
        var time = new FakeClock();
        await using var system = new ActorSystem("s", new ActorSystemOptions { TimeProvider = time });
        using var dead = new DeadLetterRecorder(system);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = system.Spawn<int>("a", async (m, ctx) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
        });
        actor.Tell(1);
        actor.Tell(2);
        actor.Tell(3);
        await started.Task.Bounded();

        var stopping = actor.StopAsync(TimeSpan.FromSeconds(1));
        await time.WhenArmed(TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));
        await stopping.Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(dead.Messages<int>(DeadLetterReason.ActorStopped), Is.EquivalentTo(new[] { 1, 2, 3 }));
            Assert.That(actor.State, Is.EqualTo(ActorState.Stopped));
        });
    }

    [Test]
    public async Task StopAsync_CalledConcurrentlyManyTimes_StopsOnce()
    {
        await using var system = new ActorSystem();
        var events = new ConcurrentQueue<ActorEvent>();
        using var sub = system.Events.Subscribe(new Observer<ActorEvent>(events.Enqueue));
        var actor = system.Spawn<int>("a", Ignore);

        var stops = Enumerable.Range(0, 32).Select(_ => Task.Run(() => actor.StopAsync())).ToArray();
        await Task.WhenAll(stops).Bounded();

        Assert.That(events.OfType<ActorStopped>().Count(e => e.Path == actor.Path), Is.EqualTo(1));
    }

    [Test]
    public async Task StopAsync_FromInsideOwnHandler_DoesNotDeadlock()
    {
        await using var system = new ActorSystem();
        var returned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ActorRef<int>? self = null;
        self = system.Spawn<int>("a", async (m, _) =>
        {
            await self!.StopAsync();
            returned.SetResult();
        });
        self.Tell(1);

        await returned.Task.Bounded();
        await self.Completion.Bounded();
        Assert.That(self.State, Is.EqualTo(ActorState.Stopped));
    }

    [Test]
    public async Task ContextStopAsync_ParentAfterAnAwaitInChildHandler_DoesNotDeadlock()
    {
        await using var system = new ActorSystem();
        var returned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var parent = system.Spawn<int>("p", Ignore);
        var child = system.Spawn<int>("c", async (m, ctx) =>
        {
            await Task.Yield();
            await ctx.StopAsync(parent);
            returned.SetResult();
        }, parent: parent);
        child.Tell(1);

        await returned.Task.Bounded();
        await parent.Completion.Bounded();
        Assert.That(child.State, Is.EqualTo(ActorState.Stopped));
    }

    [Test]
    public async Task StopAsync_Parent_StopsChildrenFirstInReverseStartOrder()
    {
        await using var system = new ActorSystem("s");
        var stopped = new ConcurrentQueue<string>();
        using var sub = system.Events.Subscribe(new Observer<ActorEvent>(e =>
        {
            if (e is ActorStopped s)
            {
                stopped.Enqueue(s.Path);
            }
        }));
        var parent = system.Spawn<int>("p", Ignore);
        foreach (var name in new[] { "c1", "c2", "c3" })
        {
            var child = system.Spawn<int>(name, Ignore, parent: parent);
            system.Spawn<int>("g", Ignore, parent: child);
        }

        await parent.StopAsync().Bounded();

        Assert.That(stopped, Is.EqualTo(new[] { "/s/p/c3/g", "/s/p/c3", "/s/p/c2/g", "/s/p/c2", "/s/p/c1/g", "/s/p/c1", "/s/p" }));
    }

    [Test]
    public async Task DisposeAsync_System_StopsEveryActorAndCompletes()
    {
        var system = new ActorSystem();
        var actors = Enumerable.Range(0, 10).Select(i => system.Spawn<int>($"a{i}", Ignore)).ToList();

        await system.DisposeAsync().Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(actors.Select(a => a.State), Is.All.EqualTo(ActorState.Stopped));
            Assert.That(system.Completion.IsCompletedSuccessfully, Is.True);
            Assert.That(system.GetHealth().Actors, Is.Empty);
        });
    }

    [Test]
    public async Task Handler_Throws_ActorFaultsAndDeadLettersFailingAndQueuedMessages()
    {
        await using var system = new ActorSystem();
        using var dead = new DeadLetterRecorder(system);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var boom = new InvalidOperationException("boom");
        var actor = system.Spawn<int>("a", async (m, _) =>
        {
            await gate.Task.WaitAsync(Wait.Timeout);
            if (m == 1)
            {
                throw boom;
            }
        });
        actor.Tell(1);
        actor.Tell(2);
        actor.Tell(3);
        gate.SetResult();

        Assert.That(async () => await actor.Completion.Bounded(), Throws.InstanceOf<InvalidOperationException>().With.Message.EqualTo("boom"));
        Assert.Multiple(() =>
        {
            Assert.That(actor.State, Is.EqualTo(ActorState.Faulted));
            Assert.That(dead.Letters.Single(l => l.Reason == DeadLetterReason.HandlerFaulted).Exception, Is.SameAs(boom));
            Assert.That(dead.Messages<int>(DeadLetterReason.HandlerFaulted), Is.EqualTo(new[] { 1 }));
            Assert.That(dead.Messages<int>(DeadLetterReason.ActorStopped), Is.EqualTo(new[] { 2, 3 }));
            Assert.That(system.GetHealth().RecentFailures.Single().Exception, Is.SameAs(boom));
        });
    }

    [Test]
    public async Task Spawn_FactoryThrows_LeavesNothingRegistered()
    {
        await using var system = new ActorSystem("s");
        Assert.Throws<InvalidOperationException>(() => system.Spawn<int>("a", () => throw new InvalidOperationException("nope")));

        Assert.Multiple(() =>
        {
            Assert.That(system.Find("/s/a"), Is.Null);
            Assert.That(system.Root.GetChildren(), Is.Empty);
        });
        var again = system.Spawn<int>("a", Ignore);
        Assert.That(again.State, Is.EqualTo(ActorState.Running));
    }

    [Test]
    public async Task Spawn_DuplicateName_ThrowsNamingNameAndParent()
    {
        await using var system = new ActorSystem("s");
        system.Spawn<int>("a", Ignore);

        var error = Assert.Throws<ArgumentException>(() => system.Spawn<string>("a", Ignore));
        Assert.That(error!.Message, Does.StartWith("An actor named 'a' already exists under '/s'."));
    }

    [Test]
    public async Task Spawn_UnderStoppedParent_ThrowsAndLeavesNothing()
    {
        await using var system = new ActorSystem("s");
        var parent = system.Spawn<int>("p", Ignore);
        await parent.StopAsync().Bounded();

        var error = Assert.Throws<InvalidOperationException>(() => system.Spawn<int>("c", Ignore, parent: parent));
        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Is.EqualTo("Cannot spawn 'c': its parent '/s/p' is Stopped."));
            Assert.That(system.Find("/s/p/c"), Is.Null);
        });
    }

    [Test]
    public async Task Spawn_NameWithSlash_Throws()
    {
        await using var system = new ActorSystem();
        Assert.Throws<ArgumentException>(() => system.Spawn<int>("a/b", Ignore));
    }

    [Test]
    public async Task Find_ChildPath_ReturnsTheChild()
    {
        await using var system = new ActorSystem("s");
        var parent = system.Spawn<int>("p", Ignore);
        var child = system.Spawn<string>("c", Ignore, parent: parent);

        Assert.Multiple(() =>
        {
            Assert.That(child.Path, Is.EqualTo("/s/p/c"));
            Assert.That(system.Find("/s/p/c"), Is.SameAs(child));
            Assert.That(parent.GetChildren(), Is.EqualTo(new ActorRef[] { child }));
        });
    }

    [Test]
    public async Task TryPost_ToUnknownPath_DeadLettersAsUndeliverable()
    {
        await using var system = new ActorSystem("s");
        using var dead = new DeadLetterRecorder(system);

        system.TryPost("/s/nobody", 42);

        Assert.That(dead.Letters.Single(), Has.Property(nameof(DeadLetter.Reason)).EqualTo(DeadLetterReason.Undeliverable).And.Property(nameof(DeadLetter.Recipient)).EqualTo("/s/nobody"));
    }

    [Test]
    public async Task ContextSpawn_FromHandler_CreatesChild()
    {
        await using var system = new ActorSystem("s");
        var spawned = new TaskCompletionSource<ActorRef>(TaskCreationOptions.RunContinuationsAsynchronously);
        var parent = system.Spawn<string>("p", (name, ctx) =>
        {
            spawned.SetResult(ctx.Spawn<int>(name, Ignore));
            return ValueTask.CompletedTask;
        });
        parent.Tell("kid");

        var child = await spawned.Task.Bounded();
        Assert.That(child.Path, Is.EqualTo("/s/p/kid"));
    }

    [Test]
    public async Task SlowHandler_RunsPastThreshold_IsReportedOnce()
    {
        var time = new FakeClock();
        await using var system = new ActorSystem("s", new ActorSystemOptions { TimeProvider = time, SlowHandlerThreshold = TimeSpan.FromSeconds(2) });
        var slow = new ConcurrentQueue<SlowHandler>();
        using var sub = system.Events.Subscribe(new Observer<ActorEvent>(e =>
        {
            if (e is SlowHandler s)
            {
                slow.Enqueue(s);
            }
        }));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = system.Spawn<string>("a", async (m, _) =>
        {
            started.SetResult();
            await gate.Task.WaitAsync(Wait.Timeout);
        });
        actor.Tell("work");
        await started.Task.Bounded();

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(slow, Is.Empty, "not slow yet");
        time.Advance(TimeSpan.FromSeconds(4));
        gate.SetResult();

        Assert.That(slow.Single(), Has.Property(nameof(SlowHandler.Path)).EqualTo("/s/a").And.Property(nameof(SlowHandler.MessageType)).EqualTo(typeof(string)));
    }

    [Test]
    public async Task GetHealth_ReportsStateAndQueue()
    {
        await using var system = new ActorSystem("s");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = system.Spawn<int>("a", async (m, _) =>
        {
            started.TrySetResult();
            await gate.Task.WaitAsync(Wait.Timeout);
        }, new ActorOptions { Mailbox = MailboxOptions.Bounded(4) });
        actor.Tell(0);
        await started.Task.Bounded();
        actor.Tell(1);
        actor.Tell(2);

        var health = system.GetHealth();
        gate.SetResult();

        var line = health.Actors.Single();
        Assert.Multiple(() =>
        {
            Assert.That(line.Path, Is.EqualTo("/s/a"));
            Assert.That(line.State, Is.EqualTo(ActorState.Running));
            Assert.That(line.QueueLength, Is.EqualTo(2));
            Assert.That(line.Utilization, Is.EqualTo(0.5));
            Assert.That(health.CountByState[ActorState.Running], Is.EqualTo(1));
        });
    }
}
