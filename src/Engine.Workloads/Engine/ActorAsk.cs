using Graph.Engine.Actors;
using Graph.Engine.Workloads.Baselines;

namespace Graph.Engine.Workloads.Engine;

/// <summary>ask on the engine: <see cref="ActorRef{TMessage}.AskAsync{TReply}"/> to an actor that replies n + 1; one run is one ask.</summary>
public sealed class ActorAsk() : Workload(WorkloadNames.Ask, EngineImplementation, MeasureKind.PerRun, BaselineNames.Asks)
{
    private ActorSystem? system;
    private ActorRef<Question>? responder;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        system = new ActorSystem("ask");
        responder = system.Spawn<Question>("responder", static (q, _) =>
        {
            q.Reply.Reply(q.Value + 1);
            return ValueTask.CompletedTask;
        });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var target = responder!;
        for (var i = 0; i < iterations; i++)
        {
            var n = 0;
            for (var a = 0; a < BaselineNames.Asks; a++)
            {
                n = await target.AskAsync<int>(reply => new Question(n, reply), Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            }

            Check(n, BaselineNames.Asks);
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

    /// <summary>The question: a number and where its successor goes.</summary>
    public readonly record struct Question(int Value, ReplyChannel<int> Reply);
}
