using Graph.Engine.Actors;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

/// <summary>Dynamic pools of one child spec started with arguments (OTP's simple_one_for_one).</summary>
public class ChildTemplateTests
{
    [Test]
    public async Task StartChildAsync_TemplateWithArguments_EachChildKeepsItsArgumentAcrossRestarts()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var template = ChildTemplate<int>.Worker<Cmd>("conn", port => new Port(port, journal));
        var pool = await Supervisor.StartAsync(system, "pool", [], new SupervisorOptions { MaxRestarts = 5 }).Bounded();

        var started = new List<ActorRef>();
        foreach (var port in new[] { 10, 20, 30 })
        {
            started.Add(await pool.StartChildAsync(template.With(port)).Bounded());
        }

        var second = pool.GetChild<Cmd>("conn-2");
        second.Tell(Cmd.Fail());
        var answer = await second.AskAsync<int>(r => new Cmd("work", 0, null, r), Wait.Timeout).Bounded();
        var counts = await pool.CountChildrenAsync().Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(started.Select(r => r.Name), Is.EqualTo(new[] { "conn-1", "conn-2", "conn-3" }));
            Assert.That(answer, Is.EqualTo(20), "restarted with its own argument");
            Assert.That(journal.Entries.Where(e => e.StartsWith("start:", StringComparison.Ordinal)), Is.EqualTo(new[] { "start:10", "start:20", "start:30", "start:20" }));
            Assert.That((counts.Specs, counts.Active, counts.Workers), Is.EqualTo((3, 3, 3)));
        });
    }

    [Test]
    public void Worker_BadPrefix_IsRejectedByName() =>
        Assert.Multiple(() =>
        {
            Assert.That(() => ChildTemplate<int>.Worker<Cmd>("a/b", _ => null!), Throws.ArgumentException.With.Message.Contains("'a/b'"));
            Assert.That(() => ChildTemplate<int>.Worker<Cmd>(" ", _ => null!), Throws.ArgumentException);
            Assert.That(() => ChildTemplate<int>.Worker<Cmd>("p", null!), Throws.ArgumentNullException);
        });

    private sealed class Port : IActor<Cmd>
    {
        private readonly int _port;

        public Port(int port, Journal journal)
        {
            _port = port;
            journal.Add("start:" + port);
        }

        public ValueTask ReceiveAsync(Cmd message, ActorContext context)
        {
            if (message.Kind == "fail")
            {
                throw new InvalidOperationException("port " + _port);
            }

            message.Reply?.Reply(_port);
            return ValueTask.CompletedTask;
        }
    }
}
