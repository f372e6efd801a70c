using System.Diagnostics;
using System.Threading.Tasks.Dataflow;
using Graph.Engine.Diagnostics;

namespace Graph.Engine.Actors;

// Concurrency discipline: who may touch which field. No lock guards the cell; each mutable field has one
// protocol, and every read-modify-write is an Interlocked operation (a full fence).
//
//   set once in the constructor, read anywhere: _factory, _front, _pool, _context, _watchdog,
//     _exclusive, _lowWatermark, _limit, _blockCapacity.
//   _action      the mailbox block, created on first use (the first send, or the close) and published by CAS;
//                a loser of that race drops its unused block. DropOldest creates it in the constructor (the
//                front buffer links to it).
//   _queued      senders +1 by CAS, only while below _limit, before posting (-1 if the post is refused); the
//                handler entry -1. Never negative, never above _limit: it is the mailbox's capacity check and a
//                lock-free length (the blocks' InputCount/Count take the block's lock). So the block itself is
//                unbounded, and completing a message takes no lock (except DropOldest and unbounded parallelism,
//                whose blocks bound themselves; see the constructor).
//   _owner       0/1, exclusive actors only: taken by CAS by the mailbox handler, by an inline run (TryRunInline)
//                and, for good, by the stop's quiescence; released with a fence by the handler's exit.
//   _ownerWaiter one waiter at a time publishes itself, then retries the CAS; the releaser takes and wakes it.
//   _active      handlers counted in (+1 on entry, after owning) and out (-1 on leave); read by a suspension.
//   _pause       null, or the one suspension in progress (CAS in, Exchange out); handlers that see it wait on it.
//   _drained, _drainTarget  written by the suspension that holds _pause; the last handler out signals _drained.
//   _suspendCancelled  set by the suspension that holds _pause just before it cancels the busy handlers, cleared
//                when it ends; a handler cancelled by it is stopped, not failed.
//   _instance    written while no handler can run: before the first message, under _pause with _active drained,
//                or after the stop's quiescence. Read only by a counted (and, if exclusive, owning) handler.
//   _incarnation replaced by Exchange on restart/suspension; read with Volatile anywhere.
//   _closed, _discarding  false to true once (stop, failure); read anywhere.
//   _space, _spaceWaiters  back-pressure: waiting senders count themselves and install one shared signal (CAS);
//                a leaving handler at the low watermark, or the close, takes and completes it.
//   _handlerStarted, _slowReportedFor  the watchdog: written by the running handler, read (and the report
//                claimed by Exchange) by the system's timer.
// AssertInvariants checks what must hold at the points it is called from (Debug builds only).

/// <summary>
/// The one implementation of an actor: a mailbox on TPL Dataflow blocks, the current instance (its
/// incarnation), and the failure path to its supervisor.
/// </summary>
/// <remarks>
/// The mailbox is an unbounded <see cref="ActionBlock{TInput}"/>, created on first use; the capacity is enforced
/// by the lock-free count of waiting messages (<c>_queued</c>), so completing a message takes no block lock.
/// <see cref="OverflowPolicy.DropOldest"/> puts a bounded <see cref="BufferBlock{T}"/> in front, from which the
/// oldest message can be taken atomically (the block behind it is then bounded by the degree of parallelism).
/// With <see cref="ActorOptions.UnboundedParallelism"/> the block itself is bounded by the capacity, which then
/// counts the messages being handled too.
/// The handler wrapper never throws, so the blocks never fault; stopping completes them and, once
/// discarding, the wrapper dead-letters instead of handling.
/// </remarks>
internal sealed class ActorCell<TMessage> : ActorRef<TMessage>
{
    private readonly Func<IActor<TMessage>> _factory;
    private ActionBlock<Envelope<TMessage>>? _action;
    private readonly int _blockCapacity;
    private readonly int _limit;
    private readonly BufferBlock<Envelope<TMessage>>? _front;
    private readonly EnvelopePool<TMessage> _pool;
    private readonly ActorContext _context;
    private readonly bool _watchdog;
    private readonly bool _exclusive;
    private IActor<TMessage>? _instance;
    private CancellationTokenSource _incarnation = new();
    private volatile bool _closed;
    private volatile bool _discarding;
    private volatile bool _suspendCancelled;
    private const long Idle = long.MinValue;
    private long _handlerStarted = Idle;
    private long _slowReportedFor = Idle;
    private int _active;
    private int _queued;
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
        // The waiting messages are counted by _queued against _limit, and the block is unbounded. Two cases let the
        // blocks bound themselves instead: DropOldest's front buffer (it must take the oldest out atomically; its
        // block then holds no more than the handlers take), and unbounded parallelism, whose capacity counts the
        // messages being handled as well as those waiting (the block's BoundedCapacity counts both).
        var unboundedParallelism = parallelism == ActorOptions.UnboundedParallelism;
        _limit = mailbox.IsUnbounded || dropOldest || unboundedParallelism ? int.MaxValue : mailbox.Capacity;
        _blockCapacity = mailbox.IsUnbounded ? DataflowBlockOptions.Unbounded
            : dropOldest ? parallelism
            : unboundedParallelism ? mailbox.Capacity
            : DataflowBlockOptions.Unbounded;
        if (dropOldest)
        {
            _front = new BufferBlock<Envelope<TMessage>>(new DataflowBlockOptions { BoundedCapacity = mailbox.Capacity });
            _front.LinkTo(Block, new DataflowLinkOptions { PropagateCompletion = true });
        }
    }

    /// <summary>
    /// The mailbox block, created on first use: an actor that never receives a message holds no Dataflow block
    /// (most of an idle actor's memory).
    /// </summary>
    private ActionBlock<Envelope<TMessage>> Block => Volatile.Read(ref _action) ?? CreateBlock();

    private ActionBlock<Envelope<TMessage>> CreateBlock()
    {
        var block = new ActionBlock<Envelope<TMessage>>(
            HandleAsync,
            new ExecutionDataflowBlockOptions
            {
                MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism,
                BoundedCapacity = _blockCapacity,
                MaxMessagesPerTask = Options.Throughput,
            });
        return Interlocked.CompareExchange(ref _action, block, null) ?? block;
    }

    /// <summary>Messages accepted and not yet taken by a handler: a lock-free count (the blocks' counts take their lock).</summary>
    public override int QueueLength => Math.Max(0, Volatile.Read(ref _queued));

    internal override CancellationToken IncarnationToken => Volatile.Read(ref _incarnation).Token;

    private protected override Task MailboxCompletion => Block.Completion;

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
        if (TryEnqueue(envelope))
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
                if (TryEnqueue(envelope))
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

        if (TryEnqueue(envelope))
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
    /// Admits a message if fewer than the capacity wait, then posts it to the mailbox block. The count is taken
    /// first (by CAS, so it never exceeds the capacity even for a moment) and so never goes negative (a handler
    /// may take the message before <c>Post</c> returns); a message the closed block refuses is uncounted.
    /// </summary>
    private bool TryEnqueue(Envelope<TMessage> envelope)
    {
        var queued = Volatile.Read(ref _queued);
        while (true)
        {
            if (queued >= _limit)
            {
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _queued, queued + 1, queued);
            if (seen == queued)
            {
                break;
            }

            queued = seen;
        }

        if (Block.Post(envelope))
        {
            return true;
        }

        Interlocked.Decrement(ref _queued);
        return false;
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
            Interlocked.Increment(ref _queued);
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

            // The dropped message and a refused one leave the count; the accepted one stays counted.
            Interlocked.Add(ref _queued, -((dropped is null ? 0 : 1) + (result == PostResult.ActorStopped ? 1 : 0)));
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

    /// <summary>The mailbox block's delegate: the message leaves the queue here, once.</summary>
    private Task HandleAsync(Envelope<TMessage> envelope)
    {
        Interlocked.Decrement(ref _queued);
        AssertInvariants();
        return HandleTakenAsync(envelope);
    }

    private Task HandleTakenAsync(Envelope<TMessage> envelope)
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

    /// <inheritdoc/>
    internal override bool TryRunInline(TMessage message)
    {
        if (!_exclusive || _front is not null || !IsAccepting || _discarding
            || Volatile.Read(ref _pause) is not null || Volatile.Read(ref _queued) > 0
            || Interlocked.CompareExchange(ref _owner, 1, 0) != 0)
        {
            return false;
        }

        if (Volatile.Read(ref _queued) > 0)
        {
            // Something was queued meanwhile: it goes first.
            ReleaseOwner();
            return false;
        }

        AssertOwned();
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

    /// <summary>
    /// Releases ownership with a full fence, then wakes a published waiter. The fence orders the release before the
    /// read of the waiter, against the waiter's publish-then-CAS: either the waiter's CAS sees the release or this
    /// read sees the waiter, so a plain read suffices and the common case (no waiter) costs one atomic.
    /// </summary>
    private void ReleaseOwner()
    {
        Interlocked.Exchange(ref _owner, 0);
        if (Volatile.Read(ref _ownerWaiter) is not null)
        {
            Interlocked.Exchange(ref _ownerWaiter, null)?.TrySetResult();
        }
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
        await HandleTakenAsync(envelope).ConfigureAwait(false);
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

        if (Volatile.Read(ref _spaceWaiters) > 0 && Volatile.Read(ref _queued) <= _lowWatermark)
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

        AssertOwned();
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
        if ((_discarding || _suspendCancelled) && exception is OperationCanceledException)
        {
            // The stop (or the supervisor taking this instance's place) cancelled this handler: the message was
            // not processed because the instance stopped; that is not a failure.
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
                case ChildFailureDirective.Resume:
                    break;
                case ChildFailureDirective.Restart:
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

    private async ValueTask<ChildFailureDirective> DecideAsync(Exception exception, object? message)
    {
        if (FailureHandler is not { } handler)
        {
            return ChildFailureDirective.Stop;
        }

        try
        {
            return await handler.OnChildFailedAsync(this, exception, message).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A broken supervisor hook stops the child rather than killing the process.
        catch (Exception)
#pragma warning restore CA1031
        {
            return ChildFailureDirective.Stop;
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
                _suspendCancelled = true;
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
                    _suspendCancelled = true;
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
        _suspendCancelled = false;
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
        Debug.Assert(!IsAccepting, "The mailbox closes only once the actor has stopped accepting.");
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
            Block.Complete();
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

    /// <summary>What holds at any moment (Debug builds): the counts are never negative, one handler at a time when exclusive.</summary>
    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(Volatile.Read(ref _queued) >= 0, "More messages taken than accepted.");
        Debug.Assert(Volatile.Read(ref _queued) <= _limit, "More messages wait than the capacity allows.");
        Debug.Assert(Volatile.Read(ref _active) >= 0, "A handler left without entering.");
        Debug.Assert(!_exclusive || Volatile.Read(ref _active) <= 1, "Two handlers ran at once in an exclusive actor.");
        Debug.Assert(Volatile.Read(ref _drainTarget) is 0 or 1, "A suspension waits for at most the caller's own handler.");
        Debug.Assert(_exclusive || Volatile.Read(ref _owner) == 0, "Ownership is taken only in exclusive actors.");
    }

    /// <summary>What holds for the caller that is about to run a handler (Debug builds): it owns the actor if exclusive.</summary>
    [Conditional("DEBUG")]
    private void AssertOwned()
    {
        AssertInvariants();
        Debug.Assert(!_exclusive || Volatile.Read(ref _owner) == 1, "A handler ran without owning the exclusive actor.");
    }

    private void DeadLetterEnvelope(Envelope<TMessage> envelope, DeadLetterReason reason, Exception? exception)
    {
        var message = envelope.Message;
        var observer = envelope.Observer;
        _pool.Return(envelope);
        System.PublishDeadLetter(Path, message, reason, exception, observer);
    }
}
