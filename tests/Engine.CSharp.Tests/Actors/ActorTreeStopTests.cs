using Graph.Engine.Actors;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Actors;

public class ActorTreeStopTests
{
    private sealed record StopRoot(ActorRef Root);

    [Test]
    public async Task StopAsync_ThousandTreesFromManyThreadsAndFromHandlers_AllStopAndNothingIsLeft()
    {
        await using var system = new ActorSystem("s");
        var roots = new List<ActorRef>();
        var leaves = new List<ActorRef<StopRoot>>();
        for (var t = 0; t < 1000; t++)
        {
            var root = system.Spawn<StopRoot>($"t{t}", Handle);
            roots.Add(root);
            for (var i = 0; i < 3; i++)
            {
                var mid = system.Spawn<StopRoot>($"m{i}", Handle, parent: root);
                for (var j = 0; j < 3; j++)
                {
                    var leaf = system.Spawn<StopRoot>($"l{j}", Handle, parent: mid);
                    leaves.Add(leaf);
                }
            }
        }

        Assert.That(system.GetHealth().Actors, Has.Count.EqualTo(1000 * 13));

        // Every third tree is stopped from inside one of its own leaves' handlers; all are also stopped
        // from thread-pool threads, concurrently and more than once.
        for (var t = 0; t < 1000; t += 3)
        {
            leaves[t * 9].Tell(new StopRoot(roots[t]));
        }

        var stops = Enumerable.Range(0, 4).SelectMany(_ => roots.Select(r => Task.Run(() => r.StopAsync()))).ToArray();
        await Task.WhenAll(stops).Bounded();
        await Task.WhenAll(roots.Select(r => r.Completion)).Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(system.GetHealth().Actors, Is.Empty);
            Assert.That(leaves.Select(l => l.State), Is.All.EqualTo(ActorState.Stopped));
            Assert.That(system.Root.GetChildren(), Is.Empty);
        });

        static async ValueTask Handle(StopRoot message, ActorContext context) => await message.Root.StopAsync();
    }
}
