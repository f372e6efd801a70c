namespace Graph.Engine.Graphs;

/// <summary>
/// The run's cancellation: its token (created when first needed), the caller's token and the run timeout, the
/// cancel that stops siblings after a failure, and naming why the token fired. The caller's token is watched through
/// the graph's group of runs on that token (<see cref="CallerTokenRuns{TState, TUpdate}"/>: one registration for
/// all the graph's runs sharing it), which links the run by two fields.
/// </summary>
internal sealed partial class GraphRun<TState, TUpdate>
{
    /// <summary>The group of runs on the caller's token, set when the run joins it (kept after the run leaves it); null without a cancellable token.</summary>
    internal CallerTokenRuns<TState, TUpdate>? CallerRuns { get; set; }

    /// <summary>The run before this one in its <see cref="CallerRuns"/> (guarded by the group's lock).</summary>
    internal GraphRun<TState, TUpdate>? PreviousOnToken { get; set; }

    /// <summary>The run after this one in its <see cref="CallerRuns"/> (guarded by the group's lock).</summary>
    internal GraphRun<TState, TUpdate>? NextOnToken { get; set; }

    /// <summary>The caller's token (none when the run was started without a cancellable one).</summary>
    private CancellationToken userToken => CallerRuns?.Token ?? default;

    /// <summary>
    /// Cancelled when the run ends for any reason other than success, or is cancelled or times out. A run without a
    /// timeout creates its source when first asked (most never are); the caller's token cancels it through
    /// <see cref="CancelRun"/>.
    /// </summary>
    public CancellationToken CancellationToken => (Volatile.Read(ref cts) ?? CreateCancellation()).Token;

    /// <summary>Whether the run's token has fired or the caller's has (without creating the run's).</summary>
    public bool IsCancellationRequested => Volatile.Read(ref cts)?.IsCancellationRequested == true || userToken.IsCancellationRequested;

    public CancellationToken RunToken => CancellationToken;

    /// <summary>In <see cref="endFlags"/>: the run has ended (set once, by <see cref="Complete"/>).</summary>
    private const int Finished = 1;

    /// <summary>In <see cref="endFlags"/>: the run's tasks are cancelled (a failure, the caller's cancel); a source created later starts cancelled.</summary>
    private const int Failed = 2;

    /// <summary>The value of <see cref="runTimeout"/> for a run without <see cref="RunOptions.Timeout"/> (no timeout can be negative but infinite).</summary>
    private static TimeSpan NoTimeout => TimeSpan.MinValue;

    /// <summary>Whether the run was given a <see cref="RunOptions.Timeout"/> (an infinite one included).</summary>
    private bool HasTimeout => runTimeout != NoTimeout;

    /// <summary>The caller's token fired (called by the run's <see cref="CallerRuns"/>): see <see cref="CancelRun"/>.</summary>
    internal void OnCallerCancelled() => CancelRun();

    /// <summary>The caller's token fired: the run's tasks are cancelled first (as the token's own callbacks run), then the run ends.</summary>
    private void CancelRun()
    {
        CancelTasks();
        OnCancelled();
    }

    /// <summary>Cancels the run's token (a failure, the caller's cancel); a source created later starts cancelled (see <see cref="CreateCancellation"/>).</summary>
    private void CancelTasks()
    {
        Interlocked.Or(ref endFlags, Failed);
        Volatile.Read(ref cts)?.Cancel();
    }

    private CancellationTokenSource CreateCancellation()
    {
        var created = new CancellationTokenSource();
        var source = Interlocked.CompareExchange(ref cts, created, null) ?? created;
        if (ReferenceEquals(source, created) && (Volatile.Read(ref endFlags) & Failed) != 0)
        {
            created.Cancel(); // the run failed or was cancelled before anyone asked: its tasks see a cancelled token
        }

        return source;
    }

    private void OnCancelled()
    {
        if (IsFinished)
        {
            return;
        }

        Fail(CancellationReason() ?? new OperationCanceledException($"Run '{RunId}' was cancelled in step {step}."));
    }

    /// <summary>Why the run's token fired: the user's token, or the run timeout; null for an internal cancel (a failed sibling).</summary>
    private Exception? CancellationReason() =>
        userToken.IsCancellationRequested ? new OperationCanceledException($"Run '{RunId}' was cancelled in step {step}.", userToken)
        : HasTimeout ? new TimeoutException($"Run '{RunId}' exceeded its timeout of {runTimeout} in step {step}.")
        : null;
}
