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
internal sealed partial class ActorCell<TMessage> : ActorRef<TMessage>
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
