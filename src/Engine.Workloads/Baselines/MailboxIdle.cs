using Microsoft.FSharp.Control;
using Microsoft.FSharp.Core;

namespace Graph.Engine.Workloads.Baselines;

/// <summary>
/// idle-actor as a started F# <c>MailboxProcessor</c> parked on <c>Receive</c> (it has no capacity
/// setting). Creation waits for one reply so the loop is known to be running.
/// </summary>
public sealed class MailboxIdle() : IdleWorkload(WorkloadNames.IdleActor, BaselineNames.MailboxProcessor)
{
    private static readonly FSharpFunc<FSharpAsyncReplyChannel<bool>, FSharpAsyncReplyChannel<bool>?> AsMessage =
        FuncConvert.FromFunc<FSharpAsyncReplyChannel<bool>, FSharpAsyncReplyChannel<bool>?>(static reply => reply);

    /// <inheritdoc/>
    public override async ValueTask<object> CreateIdleAsync(CancellationToken cancellationToken)
    {
        var mailbox = MailboxLoop.Start<FSharpAsyncReplyChannel<bool>?>(static reply =>
        {
            reply?.Reply(true);
            return reply is not null;
        });
        await FSharpAsync.StartAsTask(
            mailbox.PostAndAsyncReply(AsMessage, FSharpOption<int>.None),
            FSharpOption<TaskCreationOptions>.None,
            FSharpOption<CancellationToken>.Some(cancellationToken)).ConfigureAwait(false);
        return mailbox;
    }

    /// <inheritdoc/>
    public override ValueTask ReleaseAsync(object instance)
    {
        var mailbox = (FSharpMailboxProcessor<FSharpAsyncReplyChannel<bool>?>)instance;
        mailbox.Post(null);
        return ValueTask.CompletedTask;
    }
}
