using System.Diagnostics;
using Graph.Engine.Diagnostics;

namespace Graph.Engine.Actors;

/// <summary>
/// A reference to an actor: its address, lifecycle and children. Send messages through
/// <see cref="ActorRef{TMessage}"/>. References are created by <see cref="ActorSystem"/> and <see cref="ActorContext"/> only.
/// </summary>
[DebuggerDisplay("{Path,nq} ({State})")]
public abstract class ActorRef
{
    [ThreadStatic]
    private static ActorRef? current;

    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _childrenLock = new();
    private List<ActorRef>? _children;
    private int _state = (int)ActorState.Starting;
    private int _stopStarted;
    private CancellationTokenSource? _stopping;

    private protected ActorRef(ActorSystem system, ActorRef? parent, string name, string path, ActorOptions options)
    {
        System = system;
        Parent = parent;
        Name = name;
        Path = path;
        Options = options;
    }

    /// <summary>The actor's name, unique among its siblings.</summary>
    public string Name { get; }

    /// <summary>The actor's hierarchical address: <c>/system/parent/child</c>.</summary>
    public string Path { get; }

    /// <summary>The actor's parent, or <see langword="null"/> for the system's root guardian.</summary>
    public ActorRef? Parent { get; }

    /// <summary>The system the actor lives in.</summary>
    public ActorSystem System { get; }

    /// <summary>The options the actor was spawned with.</summary>
    public ActorOptions Options { get; }

    /// <summary>The actor's lifecycle state.</summary>
    public ActorState State => (ActorState)Volatile.Read(ref _state);

    /// <summary>The type of message the actor accepts.</summary>
    public abstract Type MessageType { get; }

    /// <summary>Messages waiting in the mailbox (not counting those being handled).</summary>
    public abstract int QueueLength { get; }

    /// <summary>
    /// Completes when the actor has stopped: successfully when it stopped normally, faulted with the failure
    /// when it ended <see cref="ActorState.Faulted"/>.
    /// </summary>
    public Task Completion => _completion.Task;

    /// <summary>A snapshot of the actor's live children, in start order.</summary>
    public IReadOnlyList<ActorRef> GetChildren()
    {
        lock (_childrenLock)
        {
            return _children is null ? [] : [.. _children];
        }
    }

    /// <summary>
    /// Stops the actor in two phases: it stops accepting messages, stops its children (in reverse start
    /// order), lets its queue drain within <paramref name="drainTimeout"/>, then cancels the running
    /// handler's token and dead-letters what is left. Idempotent and safe from any thread, concurrently.
    /// </summary>
    /// <param name="drainTimeout">How long queued messages may drain; defaults to <see cref="ActorOptions.DrainTimeout"/>. <see cref="TimeSpan.Zero"/> stops at once.</param>
    /// <param name="cancellationToken">
    /// Ends the caller's wait, not the stop: once requested, the stop always runs to the end (the actor is never left
    /// half-stopped), even when the token is already cancelled on entry. <see cref="Completion"/> still reports the end.
    /// </param>
    /// <returns>
    /// A task that completes when the actor has stopped (it never faults; see <see cref="Completion"/> for the outcome),
    /// or is cancelled when <paramref name="cancellationToken"/> is cancelled before that.
    /// Called from inside a handler of this actor or of one of its descendants, before that handler's first await,
    /// it cannot wait for itself: it begins the stop and returns a completed task. After an await, use
    /// <see cref="ActorContext.StopAsync(ActorRef, TimeSpan?)"/>, which knows the handler it runs in.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="drainTimeout"/> is negative and not infinite.</exception>
    public Task StopAsync(TimeSpan? drainTimeout = null, CancellationToken cancellationToken = default)
    {
        if (drainTimeout is { } d && d < TimeSpan.Zero && d != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(drainTimeout), d, $"Actor '{Path}': the drain timeout must be non-negative or infinite.");
        }

        var stopped = StopCoreAsync(StopCause.Shutdown, null, drainTimeout);
        return IsCalledFromWithin() ? Task.CompletedTask : stopped.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override string ToString() => Path;

    internal IChildParent? FailureHandler { get; set; }

    internal StopCause? Cause { get; private set; }

    /// <summary>The failure the stop ends with (set with <see cref="Cause"/>); null for a normal stop or a shutdown.</summary>
    internal Exception? Fault { get; private set; }

    /// <summary>The term the actor exited with (<see cref="ActorContext.Exit"/>), set with <see cref="Cause"/>.</summary>
    internal object? ExitTerm { get; private set; }

    /// <summary>
    /// Awaited when the stop begins, after the mailbox closed and before the runtime stops the children:
    /// a supervisor stops its children here, in its own start order and with their shutdown specs.
    /// </summary>
    internal Func<Task>? StopHook { get; set; }

    /// <summary>Cancelled when the actor's stop begins (created lazily: an idle actor pays nothing).</summary>
    internal CancellationToken StoppingToken
    {
        get
        {
            var source = Volatile.Read(ref _stopping);
            if (source is null)
            {
                source = new CancellationTokenSource();
                source = Interlocked.CompareExchange(ref _stopping, source, null) ?? source;
            }

            if (Volatile.Read(ref _stopStarted) == 1)
            {
                source.Cancel();
            }

            return source.Token;
        }
    }

    internal static ActorRef? Current => current;

    internal abstract CancellationToken IncarnationToken { get; }

    internal Task Stopped => _stopped.Task;

    internal bool IsAccepting => Volatile.Read(ref _state) <= (int)ActorState.Running;

    /// <summary>Marks the running thread as inside <paramref name="actor"/>'s handler; returns the previous mark to restore.</summary>
    private protected static ActorRef? EnterHandler(ActorRef actor)
    {
        var previous = current;
        current = actor;
        return previous;
    }

    private protected static void ExitHandler(ActorRef? previous) => current = previous;

    /// <summary>Starting to running; false when a stop began first (the parent stopped it while its factory ran).</summary>
    internal bool MarkRunning() =>
        Interlocked.CompareExchange(ref _state, (int)ActorState.Running, (int)ActorState.Starting) == (int)ActorState.Starting;

    /// <summary>The actor was stopped while its factory ran: the instance created late is disposed once the stop has ended.</summary>
    internal async Task DisposeLateInstanceAsync()
    {
        await StopCoreAsync(StopCause.Shutdown, null, null).ConfigureAwait(false);
        await DisposeInstanceAsync().ConfigureAwait(false);
    }

    internal void AddChild(ActorRef child)
    {
        lock (_childrenLock)
        {
            if (!IsAccepting)
            {
                throw new InvalidOperationException($"Cannot spawn '{child.Name}': its parent '{Path}' is {State}.");
            }

            (_children ??= []).Add(child);
        }
    }

    internal void RemoveChild(ActorRef child)
    {
        lock (_childrenLock)
        {
            _children?.Remove(child);
        }
    }

    internal bool IsDescendantOf(ActorRef ancestor)
    {
        for (var a = Parent; a is not null; a = a.Parent)
        {
            if (ReferenceEquals(a, ancestor))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the caller runs inside a handler of this actor or of one of its descendants.</summary>
    internal bool IsCalledFromWithin() => IsSelfOrAncestorOf(current);

    internal bool IsSelfOrAncestorOf(ActorRef? actor) =>
        actor is not null && (ReferenceEquals(actor, this) || actor.IsDescendantOf(this));

    /// <summary>Starts the stop once; later calls return the same task. The returned task never faults.</summary>
    internal Task StopCoreAsync(StopCause cause, Exception? fault, TimeSpan? drainTimeout, object? term = null)
    {
        if (Interlocked.CompareExchange(ref _stopStarted, 1, 0) == 0)
        {
            Cause = cause;
            Fault = fault;
            ExitTerm = term;
            _ = RunStopAsync(cause, fault, drainTimeout);
        }

        return _stopped.Task;
    }

    private async Task RunStopAsync(StopCause cause, Exception? fault, TimeSpan? drainTimeout)
    {
        // Never run the stop inline in the caller: a handler that stops its own actor must be able to return.
        await Task.Yield();
        Interlocked.Exchange(ref _state, (int)ActorState.Stopping);
        CloseMailbox();
        if (fault is not null)
        {
            BeginDiscard();
        }

        if (Volatile.Read(ref _stopping) is { } stopping)
        {
            await stopping.CancelAsync().ConfigureAwait(false);
        }

        if (StopHook is { } hook)
        {
            try
            {
                await hook().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A failing hook must not prevent the stop; the children are stopped below anyway.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                System.OnActorFailed(this, exception, null);
            }
        }

        ActorRef[] children;
        lock (_childrenLock)
        {
            children = _children is null ? [] : [.. _children];
        }

        for (var i = children.Length - 1; i >= 0; i--)
        {
            await children[i].StopCoreAsync(StopCause.Shutdown, null, null).ConfigureAwait(false);
        }

        await DrainAsync(drainTimeout ?? Options.DrainTimeout).ConfigureAwait(false);
        await DisposeInstanceAsync().ConfigureAwait(false);

        System.Unregister(this);
        Parent?.RemoveChild(this);
        var final = fault is null ? ActorState.Stopped : ActorState.Faulted;
        Interlocked.Exchange(ref _state, (int)final);
        System.OnActorStopped(this, final, fault);
        try
        {
            FailureHandler?.OnChildStopped(this, cause, fault);
        }
        finally
        {
            if (fault is null)
            {
                _completion.TrySetResult();
            }
            else
            {
                _completion.TrySetException(fault);
            }

            _stopped.TrySetResult();
        }
    }

    private async Task DrainAsync(TimeSpan timeout)
    {
        if (timeout == TimeSpan.Zero)
        {
            BeginDiscard();
        }
        else if (timeout != Timeout.InfiniteTimeSpan && !MailboxCompletion.IsCompleted)
        {
            try
            {
                await MailboxCompletion.WaitAsync(timeout, System.TimeProvider).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                ActorLog.DrainTimedOut(System.Logger, Path, timeout.TotalMilliseconds, QueueLength);
                BeginDiscard();
            }
        }

        // Once discarding, the remaining messages pass through the dead-letter path quickly;
        // a handler that ignores its cancelled token is still waited for.
        await MailboxCompletion.ConfigureAwait(false);
    }

    /// <summary>Undoes a spawn that failed part-way: nothing ran, so no events; anything queued is dead-lettered.</summary>
    internal void AbortSpawn(Exception reason)
    {
        Interlocked.Exchange(ref _stopStarted, 1);
        Interlocked.Exchange(ref _state, (int)ActorState.Stopped);
        CloseMailbox();
        BeginDiscard();
        _completion.TrySetException(reason);
        _ = _completion.Task.Exception;
        _stopped.TrySetResult();
    }

    /// <summary>Stops accepting: later sends are dead-lettered.</summary>
    private protected abstract void CloseMailbox();

    /// <summary>Cancels the running handler's token and dead-letters every queued message from now on.</summary>
    private protected abstract void BeginDiscard();

    /// <summary>Completes when the mailbox is closed and empty and no handler runs (nor, for good, an inline run).</summary>
    private protected abstract Task MailboxCompletion { get; }

    private protected abstract ValueTask DisposeInstanceAsync();

    /// <summary>
    /// One-way answer to a failure (<see cref="IChildSupervisor"/>): keeps the instance and lets the queued
    /// messages go on. Ignored unless the actor is still suspended by <paramref name="failure"/>.
    /// </summary>
    internal abstract void ResumeAfterFailure(long failure);

    /// <summary>
    /// One-way answer to a failure: replaces the instance in place (queued messages stay), after the other running
    /// handlers (parallel actors) finished or the shutdown timeout cancelled them. A factory failure stops the actor
    /// as faulted. Ignored unless the actor is still suspended by <paramref name="failure"/>.
    /// </summary>
    internal abstract void RestartAfterFailure(long failure, TimeSpan shutdownTimeout);

    /// <summary>One-way answer to a failure: stops the actor as faulted; its queue is dead-lettered. Ignored unless still suspended by <paramref name="failure"/>.</summary>
    internal abstract void StopAfterFailure(long failure, Exception exception);

    /// <summary>True while the actor is suspended by <paramref name="failure"/> and waits for its supervisor's answer.</summary>
    internal abstract bool IsSuspendedBy(long failure);

    /// <summary>
    /// The first half of a group restart (terminate all in reverse order, then start all in order): pauses the
    /// actor (handlers arriving from now on wait; a suspension by a failure is taken over), waits until no handler
    /// runs, honouring the shutdown timeout (then cancelling the incarnation), then disposes the instance. A handler
    /// that ignores its cancelled token is waited for at most <paramref name="killTimeout"/>. Queued messages wait for
    /// the new instance or, with <paramref name="dropQueued"/>, are dead-lettered (<see cref="DeadLetterReason.Restarted"/>).
    /// Must be followed by <see cref="ResumeSuspendedAsync"/> when it returns <see cref="SuspendOutcome.Suspended"/>.
    /// </summary>
    internal abstract Task<SuspendOutcome> SuspendAsync(TimeSpan shutdownTimeout, TimeSpan killTimeout, bool dropQueued);

    /// <summary>
    /// The second half: creates a fresh instance (then runs its PostRestart hook) (or, when <paramref name="createInstance"/> is false because the
    /// supervisor is stopping, starts discarding) and lifts the pause taken by <see cref="SuspendAsync"/>.
    /// Returns <see langword="false"/> when no instance was created (a factory failure stops the actor as faulted).
    /// </summary>
    internal abstract Task<bool> ResumeSuspendedAsync(bool createInstance);

    /// <summary>
    /// Gives up on an actor whose handler ignores its cancellation: it is stopped in the background (as faulted with
    /// <paramref name="reason"/>, unless a stop is already under way) and leaves its path and its parent at once, so
    /// that a new actor can take its name.
    /// </summary>
    internal void Abandon(Exception reason)
    {
        BeginDiscard();
        _ = StopCoreAsync(StopCause.Failure, reason, TimeSpan.Zero);
        System.Unregister(this);
        Parent?.RemoveChild(this);
    }

    /// <summary>Reports a handler running longer than the threshold (watchdog).</summary>
    internal abstract void CheckSlowHandler(long now, TimeSpan threshold);
}
