using Graph.Engine.Actors;
using Graph.Engine.Workloads.Baselines;

namespace Graph.Engine.Workloads.Engine;

/// <summary>
/// hop on the engine: one producer sends 100k ints with <see cref="ActorRef{TMessage}.SendAsync"/> to one actor with the
/// default mailbox (bounded, 1,024, <see cref="OverflowPolicy.Block"/>): pooled envelopes and back-pressure included.
/// </summary>
public sealed class ActorHop() : Workload(WorkloadNames.Hop, EngineImplementation, MeasureKind.PerMessage, BaselineNames.Messages)
{
    private readonly Countdown countdown = new();
    private ActorSystem? system;
    private ActorRef<int>? consumer;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        system = new ActorSystem("hop");
        var counter = countdown;
        consumer = system.Spawn<int>("consumer", (m, _) =>
        {
            counter.Signal(m);
            return ValueTask.CompletedTask;
        });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        for (var i = 0; i < iterations; i++)
        {
            Check(await ActorStream.SendAllAsync(consumer!, countdown, cancellationToken).ConfigureAwait(false), Countdown.ExpectedSum(BaselineNames.Messages));
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
