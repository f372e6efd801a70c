using Microsoft.FSharp.Control;

namespace Graph.Engine.Workloads.Baselines;

/// <summary>hop on an F# <c>MailboxProcessor</c> (unbounded: it has no capacity setting).</summary>
public sealed class MailboxHop() : Workload(WorkloadNames.Hop, BaselineNames.MailboxProcessor, MeasureKind.PerMessage, BaselineNames.Messages)
{
    private readonly Countdown countdown = new();
    private FSharpMailboxProcessor<int>? mailbox;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        var counter = countdown;
        mailbox = MailboxLoop.Start<int>(message =>
        {
            if (message < 0)
            {
                return false; // the stop message
            }

            counter.Signal(message);
            return true;
        });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var target = mailbox!;
        for (var i = 0; i < iterations; i++)
        {
            var done = countdown.Arm(BaselineNames.Messages);
            for (var m = 0; m < BaselineNames.Messages; m++)
            {
                target.Post(m);
            }

            Check(await done.ConfigureAwait(false), Countdown.ExpectedSum(BaselineNames.Messages));
        }
    }

    /// <inheritdoc/>
    public override ValueTask TeardownAsync()
    {
        if (mailbox is not null)
        {
            mailbox.Post(-1);
            ((IDisposable)mailbox).Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
