using Graph.Engine.Actors;
using Graph.Engine.Workloads.Baselines;

namespace Graph.Engine.Workloads.Engine;

/// <summary>pipeline4 on 4 engine actors with bounded mailboxes (<see cref="BaselineNames.MailboxCapacity"/>, <see cref="OverflowPolicy.Block"/>): each forwards with <see cref="ActorRef{TMessage}.SendAsync"/>.</summary>
public sealed class ActorPipeline4() : Workload(WorkloadNames.Pipeline4, EngineImplementation, MeasureKind.PerMessage, BaselineNames.Messages)
{
    private readonly Countdown countdown = new();
    private ActorSystem? system;
    private ActorRef<int>? first;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        system = new ActorSystem("pipeline4");
        var options = new ActorOptions { Mailbox = MailboxOptions.Bounded(BaselineNames.MailboxCapacity) };
        var counter = countdown;
        var next = system.Spawn<int>("stage4", (m, _) =>
        {
            counter.Signal(m);
            return ValueTask.CompletedTask;
        }, options);
        for (var i = ActionBlockPipeline4.Stages - 1; i >= 1; i--)
        {
            var target = next;
            next = system.Spawn<int>($"stage{i}", (m, _) => target.SendAsync(m), options);
        }

        first = next;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        for (var i = 0; i < iterations; i++)
        {
            Check(await ActorStream.SendAllAsync(first!, countdown, cancellationToken).ConfigureAwait(false), Countdown.ExpectedSum(BaselineNames.Messages));
        }
    }

    /// <inheritdoc/>
    public override async ValueTask TeardownAsync()
    {
        if (system is not null)
        {
            await system.DisposeAsync().ConfigureAwait(false);
        }
    }
}
