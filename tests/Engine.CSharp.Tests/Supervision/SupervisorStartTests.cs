using Graph.Engine.Actors;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

public class SupervisorStartTests
{
    [TestCase(1)]
    [TestCase(3)]
    [TestCase(5)]
    public async Task StartAsync_KthChildFactoryThrows_StopsTheFirstInReverseAndNamesTheChild(int k)
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var boom = new InvalidOperationException("factory broke");
        var specs = Enumerable.Range(1, 5).Select(i => i == k
            ? ChildSpec.Worker<Cmd>($"c{i}", () => throw boom)
            : Probe.Spec($"c{i}", journal));

        var failure = await Assert.ThrowsAsync<ChildStartException>(() => Supervisor.StartAsync(system, "sup", specs).Bounded());

        var expected = Enumerable.Range(1, k - 1).Select(i => $"start:c{i}").Concat(Enumerable.Range(1, k - 1).Reverse().Select(i => $"stop:c{i}"));
        Assert.Multiple(() =>
        {
            Assert.That(failure!.ChildId, Is.EqualTo($"c{k}"));
            Assert.That(failure.Message, Does.Contain($"'c{k}'"));
            Assert.That(failure.InnerException, Is.SameAs(boom));
            Assert.That(journal.Entries, Is.EqualTo(expected));
            Assert.That(system.GetHealth().Actors, Is.Empty, "nothing left running");
            Assert.That(system.Completion.IsCompleted, Is.False, "a start failure does not fault the system");
        });
    }

    [Test]
    public async Task StartAsync_GrandchildFails_ErrorNamesTheChildSupervisorWithTheCauseInside()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var nested = ChildSpec.Supervisor("inner", SupervisorOptions.Default, [Probe.Spec("ok", journal), ChildSpec.Worker<Cmd>("bad", () => throw new InvalidOperationException("no"))]);

        var failure = await Assert.ThrowsAsync<ChildStartException>(() => Supervisor.StartAsync(system, "sup", [Probe.Spec("first", journal), nested]).Bounded());

        Assert.Multiple(() =>
        {
            Assert.That(failure!.ChildId, Is.EqualTo("inner"));
            Assert.That(((ChildStartException)failure.InnerException!).ChildId, Is.EqualTo("bad"));
            Assert.That(journal.Entries, Is.EqualTo(new[] { "start:first", "start:ok", "stop:ok", "stop:first" }));
            Assert.That(system.GetHealth().Actors, Is.Empty);
        });
    }

    [Test]
    public void Options_InvalidValues_FailWithTheNameOfTheValue()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new SupervisorOptions { MaxRestarts = -1 }.Validate("x"), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("MaxRestarts"));
            Assert.That(() => new SupervisorOptions { Period = TimeSpan.Zero }.Validate("x"), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("Period"));
            Assert.That(() => ChildShutdown.After(TimeSpan.FromSeconds(-1)), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("timeout"));
            Assert.That(() => RestartDelay.Exponential(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("max"));
            Assert.That(() => RestartDelay.Exponential(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), jitter: 2), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("jitter"));
            Assert.That(() => ChildSpec.Worker<int>("a/b", (_, _) => ValueTask.CompletedTask), Throws.ArgumentException.With.Message.Contains("a/b"));
            Assert.That(() => ChildSpec.Supervisor("s", SupervisorOptions.Default, [Probe.Spec("x", new Journal()), Probe.Spec("x", new Journal())]), Throws.ArgumentException.With.Message.Contains("'x'"));
        });
    }
}
