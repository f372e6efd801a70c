using Microsoft.FSharp.Control;

namespace Graph.Engine.Workloads.Baselines;

/// <summary>
/// A chain of N F# <c>MailboxProcessor</c>s, each adding 1 and posting to the next; one run at a time.
/// </summary>
/// <param name="length">Number of mailboxes: 1, 10 or 100.</param>
public sealed class MailboxChain(int length)
    : Workload(BaselineNames.ChainName(length), BaselineNames.MailboxProcessor, MeasureKind.PerRun)
{
    private readonly FSharpMailboxProcessor<ChainHop>[] mailboxes = new FSharpMailboxProcessor<ChainHop>[length];

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        FSharpMailboxProcessor<ChainHop>? next = null;
        for (var i = mailboxes.Length - 1; i >= 0; i--)
        {
            var target = next;
            mailboxes[i] = MailboxLoop.Start<ChainHop>(hop =>
            {
                if (hop.Done is null)
                {
                    return false; // the stop message
                }

                if (target is null)
                {
                    hop.Done.SetResult(hop.Value + 1);
                }
                else
                {
                    target.Post(hop with { Value = hop.Value + 1 });
                }

                return true;
            });
            next = mailboxes[i];
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var first = mailboxes[0];
        for (var i = 0; i < iterations; i++)
        {
            var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            first.Post(new ChainHop(0, done));
            Check(await done.Task.ConfigureAwait(false), mailboxes.Length);
        }
    }

    /// <inheritdoc/>
    public override ValueTask TeardownAsync()
    {
        foreach (var mailbox in mailboxes)
        {
            if (mailbox is not null)
            {
                mailbox.Post(default);
                ((IDisposable)mailbox).Dispose();
            }
        }

        return ValueTask.CompletedTask;
    }
}
