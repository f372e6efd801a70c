using Microsoft.FSharp.Control;
using Microsoft.FSharp.Core;

namespace Graph.Engine.Workloads.Baselines;

/// <summary>
/// Starts F# <c>MailboxProcessor</c>s from C# with the loop an F# developer would write:
/// <c>let rec loop () = async { let! m = inbox.Receive() in if handle m then return! loop () }</c>.
/// </summary>
/// <remarks>
/// The loop is built once from FSharp.Core's own async builder (<c>Bind</c> of <c>Receive</c> with a
/// continuation returning the loop again), so it is F#'s async machinery end to end, without
/// task interop on the hot path.
/// </remarks>
internal static class MailboxLoop
{
    /// <summary>Starts a mailbox whose handler runs for each message; the loop ends when it returns false.</summary>
    public static FSharpMailboxProcessor<T> Start<T>(Func<T, bool> handle)
    {
        var body = FuncConvert.FromFunc<FSharpMailboxProcessor<T>, FSharpAsync<Unit>>(inbox => Loop(inbox, handle));
        return FSharpMailboxProcessor<T>.Start(body, FSharpOption<CancellationToken>.None);
    }

    private static FSharpAsync<Unit> Loop<T>(FSharpMailboxProcessor<T> inbox, Func<T, bool> handle)
    {
        var builder = ExtraTopLevelOperators.DefaultAsyncBuilder;
        var stop = builder.Zero();
        FSharpAsync<Unit>? loop = null;
        var onMessage = FuncConvert.FromFunc<T, FSharpAsync<Unit>>(message => handle(message) ? loop! : stop);
        loop = builder.Bind(inbox.Receive(FSharpOption<int>.None), onMessage);
        return loop;
    }
}
