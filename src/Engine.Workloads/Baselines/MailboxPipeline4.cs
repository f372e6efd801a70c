using Microsoft.FSharp.Control;

namespace Graph.Engine.Workloads.Baselines;

/// <summary>
/// pipeline4 on 4 F# <c>MailboxProcessor</c>s. They are unbounded (MailboxProcessor has no capacity),
/// so this baseline shows the cost without back-pressure.
/// </summary>
public sealed class MailboxPipeline4() : Workload(WorkloadNames.Pipeline4, BaselineNames.MailboxProcessor, MeasureKind.PerMessage, BaselineNames.Messages)
{
    private readonly Countdown countdown = new();
    private readonly FSharpMailboxProcessor<int>[] stages = new FSharpMailboxProcessor<int>[ActionBlockPipeline4.Stages];

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        var counter = countdown;
        stages[^1] = MailboxLoop.Start<int>(m =>
        {
            if (m >= 0)
            {
                counter.Signal(m);
            }

            return m >= 0;
        });
        for (var i = stages.Length - 2; i >= 0; i--)
        {
            var next = stages[i + 1];
            stages[i] = MailboxLoop.Start<int>(m =>
            {
                next.Post(m);
                return m >= 0;
            });
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var first = stages[0];
        for (var i = 0; i < iterations; i++)
        {
            var done = countdown.Arm(BaselineNames.Messages);
            for (var m = 0; m < BaselineNames.Messages; m++)
            {
                first.Post(m);
            }

            Check(await done.ConfigureAwait(false), Countdown.ExpectedSum(BaselineNames.Messages));
        }
    }

    /// <inheritdoc/>
    public override ValueTask TeardownAsync()
    {
        // -1 stops each stage after it has forwarded it to the next.
        stages[0]?.Post(-1);
        return ValueTask.CompletedTask;
    }
}
