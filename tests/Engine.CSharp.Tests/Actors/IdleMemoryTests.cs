using Graph.Engine.Actors;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Actors;

public class IdleMemoryTests
{
    [Test]
    public async Task Spawn_TenThousandIdleActorsWithCapacityTenThousand_CostsAtMostOneAndAHalfKilobytesEach()
    {
        await using var system = new ActorSystem();
        var options = new ActorOptions { Mailbox = MailboxOptions.Bounded(10_000) };
        system.Spawn<int>("warm", (_, _) => ValueTask.CompletedTask, options);
        var actors = new List<ActorRef<int>>(10_000);

        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < 10_000; i++)
        {
            actors.Add(system.Spawn<int>($"a{i}", (_, _) => ValueTask.CompletedTask, options));
        }

        var perActor = (GC.GetTotalMemory(forceFullCollection: true) - before) / 10_000.0;
        GC.KeepAlive(actors);

        TestContext.Out.WriteLine($"idle actor: {perActor:F0} B");
        Assert.That(perActor, Is.LessThan(1.5 * 1024), "an idle actor costs a small fixed amount whatever its capacity: no mailbox block until its first message");
    }
}
