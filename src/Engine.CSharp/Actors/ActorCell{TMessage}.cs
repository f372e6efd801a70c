using System.Diagnostics;
using System.Threading.Tasks.Dataflow;
using Graph.Engine.Diagnostics;
using Graph.Engine.Supervision;

namespace Graph.Engine.Actors;

/// <summary>
/// The one implementation of an actor: a mailbox on TPL Dataflow blocks, the current instance (its
/// incarnation), and the failure path to its supervisor.
/// </summary>
/// <remarks>
/// The mailbox is an <see cref="ActionBlock{TInput}"/> whose <c>BoundedCapacity</c> is the capacity plus the
/// degree of parallelism (the block counts messages being handled). <see cref="OverflowPolicy.DropOldest"/>
/// puts a bounded <see cref="BufferBlock{T}"/> in front, from which the oldest message can be taken atomically.
/// The handler wrapper never throws, so the blocks never fault; stopping completes them and, once
/// discarding, the wrapper dead-letters instead of handling.
/// </remarks>
internal sealed class ActorCell<TMessage> : ActorRef<TMessage>
{
    private readonly Func<IActor<TMessage>> _factory;
    private readonly ActionBlock<Envelope<TMessage>> _action;
    private readonly BufferBlock<Envelope<TMessage>>? _front;
    private readonly EnvelopePool<TMessage> _pool;
    private readonly ActorContext _context;
    private readonly bool _watchdog;
    private readonly bool _exclusive;
    private IActor<TMessage>? _instance;
    private CancellationTokenSource _incarnation = new();
    private volatile bool _closed;
    private volatile bool _discarding;
    private const long Idle = long.MinValue;
    private long _handlerStarted = Idle;
    private long _slowReportedFor = Idle;
    private int _active;
    private int _owner;
    private TaskCompletionSource? _ownerWaiter;
    private TaskCompletionSource? _pause;
    private TaskCompletionSource? _drained;
    private int _drainTarget;
    private readonly int _lowWatermark;
    private TaskCompletionSource? _space;
    private int _spaceWaiters;

    public ActorCell(ActorSystem system, ActorRef? parent, string name, string path, ActorOptions options, Func<IActor<TMessage>> factory)
        : base(system, parent, name, path, options)
    {
        _factory = factory;
        _pool = system.GetEnvelopePool<TMessage>();
        _watchdog = system.Options.SlowHandlerThreshold is not null;
        var parallelism = options.MaxDegreeOfParallelism;
        _exclusive = parallelism == 1;
        _lowWatermark = options.Mailbox.IsUnbounded ? 0 : options.Mailbox.Capacity / 2;
        _context = new ActorContext(this);
        var mailbox = options.Mailbox;
        var dropOldest = !mailbox.IsUnbounded && mailbox.Overflow == OverflowPolicy.DropOldest;
        _action = new ActionBlock<Envelope<TMessage>>(
            HandleAsync,
            new ExecutionDataflowBlockOptions
            {
                MaxDegreeOfParallelism = parallelism,
                BoundedCapacity = mailbox.IsUnbounded ? DataflowBlockOptions.Unbounded
                    : dropOldest ? parallelism
                    : parallelism == ActorOptions.UnboundedParallelism ? mailbox.Capacity
                    : mailbox.Capacity + parallelism,
            });
        if (dropOldest)
        {
            _front = new BufferBlock<Envelope<TMessage>>(new DataflowBlockOptions { BoundedCapacity = mailbox.Capacity });
            _front.LinkTo(_action, new DataflowLinkOptions { PropagateCompletion = true });
        }
    }

    public override int QueueLength => _action.InputCount + (_front?.Count ?? 0);

    internal override CancellationToken IncarnationToken => Volatile.Read(ref _incarnation).Token;

    private protected override Task MailboxCompletion => _action.Completion;

    /// <summary>Creates the first instance; a throwing factory fails the spawn.</summary>
    public void CreateFirstInstance() => _instance = _factory() ?? throw new InvalidOperationException($"The factory of actor '{Path}' returned null.");

    public override PostResult TryPost(TMessage message) => Post(message, null);

    private protected override ValueTask SendCoreAsync(TMessage message, IDeadLetterObserver? observer, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        var mailbox = Options.Mailbox;
        if (mailbox.IsUnbounded || mailbox.Overflow != OverflowPolicy.Block)
        {
            if (Post(message, observer) == PostResult.Rejected)
            {
                throw new MailboxFullException(Path, mailbox.Capacity, mailbox.Overflow);
            }

            return default;
        }

        if (!IsAccepting)
        {
            System.PublishDeadLetter(Path, message, DeadLetterReason.ActorStopped, null, observer);
            return default;
        }

        var envelope = _pool.Rent(message, observer);
        if (_action.Post(envelope))
        {
            return default;
        }

        if (_closed)
        {
            DeadLetterEnvelope(envelope, DeadLetterReason.ActorStopped, null);
            return default;
        }

        return WaitForSpaceAsync(envelope, cancellationToken);
    }

    /// <summary>
    /// Back-pressure: waits until the mailbox has drained to its low watermark (half its capacity), then posts again.
    /// All waiting senders share one signal per drain, so a flooded actor costs one allocation per half a mailbox,
    /// not one per waiting message as Dataflow's <c>SendAsync</c> would.
    /// </summary>
    private async ValueTask WaitForSpaceAsync(Envelope<TMessage> envelope, CancellationToken cancellationToken)
    {
        while (true)
        {
            Interlocked.Increment(ref _spaceWaiters);
            try
            {
                var signal = Volatile.Read(ref _space) ?? InstallSpaceSignal();

                // Retry after registering: the actor may have drained between the failed post and the registration.
                if (_action.Post(envelope))
                {
                    return;
                }

                if (_closed)
                {
                    DeadLetterEnvelope(envelope, DeadLetterReason.ActorStopped, null);
                    return;
                }

                if (cancellationToken.CanBeCanceled)
                {
                    await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await signal.Task.ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                _pool.Return(envelope);
                throw;
            }
            finally
            {
                Interlocked.Decrement(ref _spaceWaiters);
            }
        }
    }

    private TaskCompletionSource InstallSpaceSignal()
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return Interlocked.CompareExchange(ref _space, signal, null) ?? signal;
    }

    /// <summary>Wakes the waiting senders (the mailbox drained to its low watermark, or closed).</summary>
    private void SignalSpace() => Interlocked.Exchange(ref _space, null)?.TrySetResult();

    private PostResult Post(TMessage message, IDeadLetterObserver? observer)
    {
        if (!IsAccepting)
        {
            System.PublishDeadLetter(Path, message, DeadLetterReason.ActorStopped, null, observer);
            return PostResult.ActorStopped;
        }

        var envelope = _pool.Rent(message, observer);
        if (_front is not null)
        {
            return PostDroppingOldest(envelope);
        }

        if (_action.Post(envelope))
        {
            return PostResult.Accepted;
        }

        if (_closed)
        {
            DeadLetterEnvelope(envelope, DeadLetterReason.ActorStopped, null);
            return PostResult.ActorStopped;
        }

        if (Options.Mailbox.Overflow == OverflowPolicy.DropNewest)
        {
            DeadLetterEnvelope(envelope, DeadLetterReason.DroppedNewest, null);
            return PostResult.DroppedNewest;
        }

        DeadLetterEnvelope(envelope, DeadLetterReason.Rejected, null);
        return PostResult.Rejected;
    }

    /// <summary>
    /// DropOldest: senders serialise on the front buffer; the only other party is the consumer, which only
    /// removes. So after taking the oldest, the post succeeds: exactly one message is lost to make room for one.
    /// Dead letters are published outside the lock (observers are user code).
    /// </summary>
    private PostResult PostDroppingOldest(Envelope<TMessage> envelope)
    {
        Envelope<TMessage>? dropped = null;
        PostResult result;
        lock (_front!)
        {
            if (_front.Post(envelope))
            {
                return PostResult.Accepted;
            }

            if (_closed)
            {
                result = PostResult.ActorStopped;
            }
            else
            {
                _front.TryReceive(out dropped);
                result = _front.Post(envelope) ? PostResult.AcceptedDroppedOldest : PostResult.ActorStopped;
            }
        }

        if (dropped is not null)
        {
            DeadLetterEnvelope(dropped, DeadLetterReason.DroppedOldest, null);
        }

        if (result == PostResult.ActorStopped)
        {
            DeadLetterEnvelope(envelope, DeadLetterReason.ActorStopped, null);
        }

        return result;
    }

    private Task HandleAsync(Envelope<TMessage> envelope)
    {
        if (_discarding)
        {
            DeadLetterEnvelope(envelope, DeadLetterReason.ActorStopped, null);
            return Task.CompletedTask;
        }

        // One message at a time: the mailbox loop and an inline run (TryRunInline) both take ownership.
        if (_exclusive && Interlocked.CompareExchange(ref _owner, 1, 0) != 0)
        {
            return HandleWhenOwnedAsync(envelope);
        }

        return HandleOwned(envelope);
    }

    /// <summary>
    /// Offers one message to run on the caller's thread instead of through the mailbox. Only an exclusive
    /// (one message at a time) actor that is running, idle and has nothing queued accepts; the message then
    /// takes exactly the path a mailbox message takes (failure, supervision, dead letters, metrics).
    /// </summary>
    /// <returns><see langword="false"/> when the caller must post the message instead.</returns>
    internal bool TryRunInline(TMessage message)
    {
        if (!_exclusive || _front is not null || !IsAccepting || _discarding
            || Volatile.Read(ref _pause) is not null || _action.InputCount != 0
            || Interlocked.CompareExchange(ref _owner, 1, 0) != 0)
        {
            return false;
        }

        if (_action.InputCount != 0)
        {
            // Something was queued meanwhile: it goes first.
            ReleaseOwner();
            return false;
        }

        _ = HandleOwned(_pool.Rent(message));
        return true;
    }

    private async Task HandleWhenOwnedAsync(Envelope<TMessage> envelope)
    {
        await AcquireOwnershipAsync().ConfigureAwait(false);
        await HandleOwned(envelope).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until this caller owns the actor. One waiter at a time: the mailbox loop (one message at a time) or,
    /// once it has completed, the stop. <see cref="ReleaseOwner"/> wakes it; a release between publishing the waiter
    /// and the CAS is caught by the CAS itself.
    /// </summary>
    private async Task AcquireOwnershipAsync()
    {
        while (Interlocked.CompareExchange(ref _owner, 1, 0) != 0)
        {
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _ownerWaiter, waiter);
            OwnerWaitStarted?.Invoke();
            if (Interlocked.CompareExchange(ref _owner, 1, 0) == 0)
            {
                Interlocked.CompareExchange(ref _ownerWaiter, null, waiter);
                return;
            }

            await waiter.Task.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Takes ownership for good once the mailbox has drained: an inline run that began before the close finishes
    /// first, and none can start after it. (The mailbox loop no longer runs, so no waiter competes.)
    /// </summary>
    private protected override Task QuiesceAsync() => _exclusive ? AcquireOwnershipAsync() : Task.CompletedTask;

    /// <summary>Called when something starts waiting to own the actor (a test probe for the stop's quiescence).</summary>
    internal Action? OwnerWaitStarted { get; set; }

    private void ReleaseOwner()
    {
        Volatile.Write(ref _owner, 0);
        Interlocked.Exchange(ref _ownerWaiter, null)?.TrySetResult();
    }

    private Task HandleOwned(Envelope<TMessage> envelope)
    {
        // Count first, then look for a pause: a restart that sets the pause and then sees no active
        // handler can swap the instance safely (both sides use full fences).
        Interlocked.Increment(ref _active);
        if (Volatile.Read(ref _pause) is { } pause)
        {
            LeaveHandler();
            return HandleAfterPauseAsync(envelope, pause);
        }

        return HandleActive(envelope);
    }

    private async Task HandleAfterPauseAsync(Envelope<TMessage> envelope, TaskCompletionSource pause)
    {
        await pause.Task.ConfigureAwait(false);
        await HandleAsync(envelope).ConfigureAwait(false);
    }

    /// <summary>Marks one handler as finished (releasing ownership); the last one out signals a waiting restart.</summary>
    private void LeaveHandler()
    {
        if (Interlocked.Decrement(ref _active) <= Volatile.Read(ref _drainTarget) && Volatile.Read(ref _pause) is not null)
        {
            Volatile.Read(ref _drained)?.TrySetResult();
        }

        if (_exclusive)
        {
            ReleaseOwner();
        }

        if (Volatile.Read(ref _spaceWaiters) > 0 && _action.InputCount <= _lowWatermark)
        {
            SignalSpace();
        }
    }

    /// <summary>Runs the handler while counted as active; leaves on every path.</summary>
    private Task HandleActive(Envelope<TMessage> envelope)
    {
        if (_discarding)
        {
            LeaveHandler();
            DeadLetterEnvelope(envelope, DeadLetterReason.ActorStopped, null);
            return Task.CompletedTask;
        }

        var started = _watchdog || ActorMetrics.HandlerDuration.Enabled ? System.TimeProvider.GetTimestamp() : 0;
        if (_watchdog)
        {
            Volatile.Write(ref _handlerStarted, started);
        }

        ValueTask pending;
        var previous = EnterHandler(this);
        try
        {
            pending = _instance!.ReceiveAsync(envelope.Message, _context);
        }
#pragma warning disable CA1031 // The failure is reported to the supervisor, never swallowed.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            ExitHandler(previous);
            return OnFailureAsync(envelope, exception);
        }

        ExitHandler(previous);

        if (pending.IsCompletedSuccessfully)
        {
            pending.GetAwaiter().GetResult();
            OnHandled(envelope, started);
            return Task.CompletedTask;
        }

        return AwaitHandlerAsync(pending, envelope, started);
    }

    private async Task AwaitHandlerAsync(ValueTask pending, Envelope<TMessage> envelope, long started)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The failure is reported to the supervisor, never swallowed.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            await OnFailureAsync(envelope, exception).ConfigureAwait(false);
            return;
        }

        OnHandled(envelope, started);
    }

    private void OnHandled(Envelope<TMessage> envelope, long started)
    {
        if (_watchdog)
        {
            Volatile.Write(ref _handlerStarted, Idle);
        }

        LeaveHandler();
        _pool.Return(envelope);
        ActorMetrics.Processed.Add(1);
        if (started != 0 && ActorMetrics.HandlerDuration.Enabled)
        {
            ActorMetrics.HandlerDuration.Record(System.TimeProvider.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private async Task OnFailureAsync(Envelope<TMessage> envelope, Exception exception)
    {
        Volatile.Write(ref _handlerStarted, Idle);
        var message = envelope.Message;
        if (_discarding && exception is OperationCanceledException)
        {
            // The stop cancelled this handler: the message was not processed because the actor stopped.
            LeaveHandler();
            DeadLetterEnvelope(envelope, DeadLetterReason.ActorStopped, null);
            return;
        }

        try
        {
            ActorMetrics.Processed.Add(1);
            ActorMetrics.Failures.Add(1);
            System.OnActorFailed(this, exception, message);
            DeadLetterEnvelope(envelope, DeadLetterReason.HandlerFaulted, exception);
            var directive = await DecideAsync(exception, message).ConfigureAwait(false);
            switch (directive)
            {
                case SupervisorDirective.Resume:
                    break;
                case SupervisorDirective.Restart:
                    if (!await TryReplaceInstanceAsync().ConfigureAwait(false))
                    {
                        return;
                    }

                    break;
                default:
                    FailAndStop(exception);
                    break;
            }
        }
        finally
        {
            LeaveHandler();
        }
    }

    private async ValueTask<SupervisorDirective> DecideAsync(Exception exception, object? message)
    {
        if (FailureHandler is not { } handler)
        {
            return SupervisorDirective.Stop;
        }

        try
        {
            return await handler.OnChildFailedAsync(this, exception, message).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A broken supervisor hook stops the child rather than killing the process.
        catch (Exception)
#pragma warning restore CA1031
        {
            return SupervisorDirective.Stop;
        }
    }

    private void FailAndStop(Exception exception)
    {
        BeginDiscard();
        _ = StopCoreAsync(StopCause.Failure, exception, TimeSpan.Zero);
    }

    /// <summary>Swaps in a fresh instance. On a factory failure the actor stops as faulted and this returns false.</summary>
    private async Task<bool> TryReplaceInstanceAsync()
    {
        var old = Interlocked.Exchange(ref _incarnation, new CancellationTokenSource());
        await old.CancelAsync().ConfigureAwait(false);
        old.Dispose();
        await DisposeInstanceAsync().ConfigureAwait(false);
        return TryCreateInstance();
    }

    /// <summary>Creates a fresh instance; a factory failure stops the actor as faulted and returns false.</summary>
    private bool TryCreateInstance()
    {
        try
        {
            CreateFirstInstance();
            return true;
        }
#pragma warning disable CA1031 // A factory failure during restart stops the actor as faulted.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            System.OnActorFailed(this, exception, null);
            FailAndStop(exception);
            return false;
        }
    }

    internal override async Task RestartAsync(TimeSpan shutdownTimeout)
    {
        if (await SuspendAsync(shutdownTimeout, 0).ConfigureAwait(false))
        {
            ResumeSuspended(createInstance: true);
        }
    }

    internal override async Task<bool> SuspendAsync(TimeSpan shutdownTimeout, int handlersHeldByCaller)
    {
        var pause = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        while (Interlocked.CompareExchange(ref _pause, pause, null) is { } other)
        {
            // Another suspension holds the actor: wait until it resumes, then take our turn.
            await other.Task.ConfigureAwait(false);
        }

        // Published after the pause and before reading the count: a handler that leaves after this read sees
        // both and signals; one that left before it is not counted. The caller's own handler (if it is the
        // failing child's) stays counted, hence the target.
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drainTarget, handlersHeldByCaller);
        Interlocked.Exchange(ref _drained, drained);
        if (Volatile.Read(ref _active) > handlersHeldByCaller)
        {
            if (shutdownTimeout == TimeSpan.Zero)
            {
                await Volatile.Read(ref _incarnation).CancelAsync().ConfigureAwait(false);
            }
            else if (shutdownTimeout != Timeout.InfiniteTimeSpan)
            {
                try
                {
                    await drained.Task.WaitAsync(shutdownTimeout, System.TimeProvider).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    await Volatile.Read(ref _incarnation).CancelAsync().ConfigureAwait(false);
                }
            }

            if (Volatile.Read(ref _active) > handlersHeldByCaller)
            {
                await drained.Task.ConfigureAwait(false);
            }
        }

        if (_discarding)
        {
            EndPause();
            return false;
        }

        var old = Interlocked.Exchange(ref _incarnation, new CancellationTokenSource());
        await old.CancelAsync().ConfigureAwait(false);
        old.Dispose();
        await DisposeInstanceAsync().ConfigureAwait(false);
        return true;
    }

    internal override bool ResumeSuspended(bool createInstance)
    {
        try
        {
            if (!createInstance || _discarding)
            {
                BeginDiscard();
                return false;
            }

            return TryCreateInstance();
        }
        finally
        {
            EndPause();
        }
    }

    /// <summary>Lets waiting handlers (and inline runs) go again.</summary>
    private void EndPause()
    {
        Volatile.Write(ref _drained, null);
        Volatile.Write(ref _drainTarget, 0);
        Interlocked.Exchange(ref _pause, null)?.TrySetResult();
    }

    internal override void CheckSlowHandler(long now, TimeSpan threshold)
    {
        var started = Volatile.Read(ref _handlerStarted);
        if (started == Idle || Volatile.Read(ref _slowReportedFor) == started)
        {
            return;
        }

        var elapsed = System.TimeProvider.GetElapsedTime(started, now);
        if (elapsed >= threshold && Interlocked.Exchange(ref _slowReportedFor, started) != started)
        {
            System.OnSlowHandler(this, typeof(TMessage), elapsed);
        }
    }

    private protected override void CloseMailbox()
    {
        _closed = true;
        SignalSpace();
        if (_front is not null)
        {
            lock (_front)
            {
                _front.Complete();
            }
        }
        else
        {
            _action.Complete();
        }
    }

    private protected override void BeginDiscard()
    {
        if (_discarding)
        {
            return;
        }

        _discarding = true;
        try
        {
            Volatile.Read(ref _incarnation).Cancel();
        }
        catch (ObjectDisposedException)
        {
            // A restart swapped the incarnation concurrently; the new one is never used once discarding.
        }
    }

    private protected override async ValueTask DisposeInstanceAsync()
    {
        var instance = Interlocked.Exchange(ref _instance, null);
        try
        {
            switch (instance)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
#pragma warning disable CA1031 // A failing Dispose must not break a stop or a restart; it is reported.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            System.OnActorFailed(this, exception, null);
        }
    }

    private void DeadLetterEnvelope(Envelope<TMessage> envelope, DeadLetterReason reason, Exception? exception)
    {
        var message = envelope.Message;
        var observer = envelope.Observer;
        _pool.Return(envelope);
        System.PublishDeadLetter(Path, message, reason, exception, observer);
    }
}
