using System.Diagnostics;

namespace Graph.Engine.Actors;

/// <summary>
/// A reference to an actor: its address, lifecycle and children. Send messages through
/// <see cref="ActorRef{TMessage}"/>. References are created by <see cref="ActorSystem"/> and <see cref="ActorContext"/> only.
/// </summary>
[DebuggerDisplay("{Path,nq} ({State})")]
public abstract partial class ActorRef
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
}
