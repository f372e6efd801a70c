using System.Diagnostics;
using System.Threading.Tasks.Dataflow;

namespace Graph.Engine.Actors;

// Concurrency discipline: who may touch which field. No lock guards the cell (DropOldest's senders serialise on
// its queue block, an inbox's senders on the producer lock word _counts.Producers, which guards nothing else); each
// mutable field has one protocol, and every read-modify-write is an Interlocked operation (a full fence), except the
// owner's count of taken messages (_counts below).
//
//   set once in the constructor, read anywhere: _factory, _front, _pool, _context, _watchdog, _exclusive,
//     _dropOldest, _throughput, _lowWatermark, _limit, _blockCapacity.
//   _status      exclusive actors only, the one word of the mailbox loop (ActorCell{TMessage}.Loop.cs):
//                Unowned, Owned, Draining or Finished. Unowned -> Owned by CAS: by a sender that finds the actor
//                idle with its message alone (it hands the message over and schedules the cell as a thread-pool
//                work item), by the inbox's loop task being queued or a release that finds work after the owner
//                left (ScheduleIfIdle, TrySchedule), by the close, or by an inline run (TryRunInline). Whoever owns
//                it is the only one to take messages and run handlers. Owned <-> Draining by plain writes of the
//                owner around a run of the inbox's loop (RunInbox). Owned -> Unowned by Exchange, only by the
//                owner, which then looks again for work (HasWork: whoever leaves work publishes it with a fence
//                before reading the word, and the owner releases with a fence before looking, so one of them sees
//                the other). A loop that took more than one message in this wake first spins for more work, still
//                owning, for a microsecond or two (SpinForWork; the inbox's delegate likewise, until the inbox holds
//                a message: SpinForInput). Owned -> Finished once (Exchange), by the loop that finds the sealed
//                mailbox empty; never left.
//   _next        exclusive actors: the hand-over slot. Written only by a sender whose message was the only one
//                counted when it was admitted (so one at a time, and nothing older waits): the one that took _status
//                from Unowned writes it before scheduling the loop; one that found the actor owned but not Draining
//                writes it by Exchange and then reads _status (HandOver). Taken (and cleared) by the owner first,
//                before the backlog and the inbox (the inbox's delegate looks at it before each message); a loop
//                that finishes takes a late one back and dead-letters it, or the sender that sees Finished takes
//                it back (one CAS decides). Counted in _counts like a queued message.
//   _action      the mailbox ActionBlock, created on first use (the first send, or the close) and published by
//                CAS. Actors with parallelism above one: handlers run in its delegate; DropOldest puts a bounded
//                _front buffer before it (created in the constructor). Exclusive actors (not DropOldest): the
//                inbox, single-producer: senders post under the producer lock word (_counts), and its loop task,
//                queued to _drain, runs only inside the owner (RunInbox).
//   _drain       exclusive actors: the owner's helper, created on first use (published by CAS). Its pending
//                loop task is written by the inbox's scheduling (Exchange, then ScheduleIfIdle) and taken by the
//                owner; the block starts a loop task only when none is pending or running, so one at a time. Its
//                backlog, awaited handler, count and continuation are the owner's alone.
//   _queue       exclusive DropOldest actors: the mailbox BufferBlock, created on first use and published by CAS;
//                senders post (under the block's lock, taking the oldest out when full), only the owner receives.
//   _counts      what waits: Admitted - Taken (MailboxCounts), on two cache lines. Admitted: senders +1 by CAS, only
//                while below _limit by their copy of Taken (TakenSeen, read again from Taken when the copy says full,
//                or when an idle exclusive actor seems to have work), before posting; -1 when a counted message is
//                taken back (a refused post, a DropOldest drop, a late hand-over taken back by HandOver). Taken: +1
//                when a message is taken, by the owner alone with a plain write for exclusive actors (the take from
//                the slot, the backlog, the inbox's delegate or the queue block; a late hand-over Finish takes back),
//                by Interlocked in the parallel ActionBlock's delegate. A message the inbox's run keeps in the backlog
//                stays counted. What waits is never negative and never above _limit: it is the capacity check and a
//                lock-free length (the blocks' own counts take their lock). So the blocks are unbounded, except
//                DropOldest's (which must take the oldest out atomically) and unbounded parallelism's (whose
//                capacity counts handled messages too). The owner's plain writes can be seen late by a sender that
//                begins to wait for space, so Release looks at the waiting senders again after its fence.
//                Active: handlers counted in (+1 on entry) and out (-1 on leave), Interlocked; read by a suspension.
//   _sealed      false to true once, by the close, after the inbox (or queue block) was completed: from then on
//                no post succeeds, and a message still in the inbox has its loop task pending with the owner (a
//                late hand-over aside, which Finish takes back and dead-letters). Read by the loop before it looks.
//   _done        the mailbox completion of exclusive actors, created on first use; completed by the loop when
//                it finishes.
//   _pause       null, or the one suspension in progress (CAS in, Exchange out); handlers that see it wait on it.
//   _drained, _drainTarget  written by the suspension that holds _pause; the last handler out signals _drained.
//   _suspendCancelled  set by the suspension that holds _pause just before it cancels the busy handlers, cleared
//                when it ends; a handler cancelled by it is stopped, not failed.
//   _instance    written while no handler can run: before the first message, under _pause with _counts.Active drained,
//                or after the mailbox finished. Read only by a counted (and, if exclusive, owning) handler.
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
/// An exclusive actor (one message at a time, the default) is itself the thread-pool work item that takes its
/// messages: one status word says whether it is idle, owned (scheduled, running, running its inbox's loop, or running
/// a message inline for the graph layer) or finished. A message sent to an idle actor is handed over in a one-message
/// slot; messages that queue behind a busy one wait in an <see cref="ActionBlock{TInput}"/> inbox whose loop the owner
/// runs (a DropOldest actor's wait in a <see cref="BufferBlock{T}"/> the owner receives from). Actors with a degree of
/// parallelism above one queue in an <see cref="ActionBlock{TInput}"/> that runs their handlers. The capacity is enforced by the lock-free count of waiting
/// messages (<c>_counts</c>, <see cref="MailboxCounts"/>), so the blocks are unbounded (see the discipline above for the two exceptions).
/// The handler wrapper never throws; stopping completes the blocks and, once discarding, the wrapper
/// dead-letters instead of handling.
/// </remarks>
internal sealed partial class ActorCell<TMessage> : ActorRef<TMessage>
{
    private readonly Func<IActor<TMessage>> _factory;
    private BufferBlock<Envelope<TMessage>>? _queue;
    private ActionBlock<Envelope<TMessage>>? _action;
    private readonly int _blockCapacity;
    private readonly int _limit;
    private readonly BufferBlock<Envelope<TMessage>>? _front;
    private readonly EnvelopePool<TMessage> _pool;
    private readonly ActorContext _context;
    private readonly bool _watchdog;
    private readonly bool _exclusive;
    private readonly bool _dropOldest;
    private readonly int _throughput;
    private IActor<TMessage>? _instance;
    private CancellationTokenSource _incarnation = new();
    private volatile bool _closed;
    private volatile bool _sealed;
    private volatile bool _discarding;
    private volatile bool _suspendCancelled;
    private const long Idle = long.MinValue;
    private long _handlerStarted = Idle;
    private long _slowReportedFor = Idle;
    private int _status;
    private MailboxCounts _counts;
    private Envelope<TMessage>? _next;
    private TaskCompletionSource? _done;
    private Drain? _drain;
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
        _throughput = options.Throughput == ActorOptions.UnboundedThroughput ? int.MaxValue : options.Throughput;
        _lowWatermark = options.Mailbox.IsUnbounded ? 0 : options.Mailbox.Capacity / 2;
        _context = new ActorContext(this);
        var mailbox = options.Mailbox;
        _dropOldest = !mailbox.IsUnbounded && mailbox.Overflow == OverflowPolicy.DropOldest;

        // The waiting messages are counted by _counts against _limit, and the blocks are unbounded. Two cases let the
        // blocks bound themselves instead: DropOldest (the block must take the oldest out atomically; behind the
        // front buffer of a parallel actor, the ActionBlock holds no more than its handlers take), and unbounded
        // parallelism, whose capacity counts the messages being handled as well as those waiting (the block's
        // BoundedCapacity counts both).
        var unboundedParallelism = parallelism == ActorOptions.UnboundedParallelism;
        _limit = mailbox.IsUnbounded || _dropOldest || unboundedParallelism ? int.MaxValue : mailbox.Capacity;
        _blockCapacity = mailbox.IsUnbounded ? DataflowBlockOptions.Unbounded
            : _dropOldest ? (_exclusive ? mailbox.Capacity : parallelism)
            : unboundedParallelism ? mailbox.Capacity
            : DataflowBlockOptions.Unbounded;
        if (_dropOldest && !_exclusive)
        {
            _front = new BufferBlock<Envelope<TMessage>>(new DataflowBlockOptions { BoundedCapacity = mailbox.Capacity });
            _front.LinkTo(Block, new DataflowLinkOptions { PropagateCompletion = true });
        }
    }

    /// <summary>Messages accepted and not yet taken by a handler: a lock-free count (the blocks' counts take their lock).</summary>
    public override int QueueLength => (int)Math.Clamp(_counts.Waiting, 0, int.MaxValue);

    internal override CancellationToken IncarnationToken => Volatile.Read(ref _incarnation).Token;

    private protected override Task MailboxCompletion => _exclusive ? Done.Task : Block.Completion;

    /// <summary>Creates the first instance; a throwing factory fails the spawn.</summary>
    public void CreateFirstInstance() => _instance = _factory() ?? throw new InvalidOperationException($"The factory of actor '{Path}' returned null.");

    /// <summary>
    /// The ActionBlock of an actor with parallelism above one, created on first use: an actor that never receives
    /// a message holds no Dataflow block (most of an idle actor's memory).
    /// </summary>
    private ActionBlock<Envelope<TMessage>> Block => Volatile.Read(ref _action) ?? CreateBlock();

    private ActionBlock<Envelope<TMessage>> CreateBlock()
    {
        Debug.Assert(!_exclusive, "An exclusive actor's block is its inbox (CreateInbox).");
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

    /// <summary>The queue of an exclusive DropOldest actor, created on first use (as <see cref="Block"/>).</summary>
    private BufferBlock<Envelope<TMessage>> Queue => Volatile.Read(ref _queue) ?? CreateQueue();

    private BufferBlock<Envelope<TMessage>> CreateQueue()
    {
        Debug.Assert(_exclusive && _dropOldest, "Only an exclusive DropOldest actor queues in a BufferBlock of its own.");
        var queue = new BufferBlock<Envelope<TMessage>>(new DataflowBlockOptions
        {
            BoundedCapacity = _blockCapacity,
            TaskScheduler = OfferParkingScheduler.Instance,
        });
        return Interlocked.CompareExchange(ref _queue, queue, null) ?? queue;
    }

    /// <summary>What holds at any moment (Debug builds): the counts are never negative, one handler at a time when exclusive.</summary>
    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        // Each bound reads the two counts in the order that keeps it true under concurrent updates: Taken only grows, and
        // Admitted only shrinks by messages that were never taken.
        Debug.Assert(_counts.Waiting >= 0, "More messages taken than accepted.");
        var admitted = Volatile.Read(ref _counts.Admitted);
        Debug.Assert(admitted - Volatile.Read(ref _counts.Taken) <= _limit, "More messages wait than the capacity allows.");
        Debug.Assert(Volatile.Read(ref _counts.TakenSeen) <= Volatile.Read(ref _counts.Taken), "The senders' copy of the taken count ran ahead of it.");
        Debug.Assert(Volatile.Read(ref _counts.Active) >= 0, "A handler left without entering.");
        Debug.Assert(!_exclusive || Volatile.Read(ref _counts.Active) <= 1, "Two handlers ran at once in an exclusive actor.");
        Debug.Assert(Volatile.Read(ref _drainTarget) is 0 or 1, "A suspension waits for at most the caller's own handler.");
        Debug.Assert(_exclusive || Volatile.Read(ref _status) == Unowned, "The status word is used only by exclusive actors.");
        Debug.Assert(_exclusive ? _front is null && (_dropOldest ? _action is null : _queue is null) : _queue is null && _next is null && _drain is null, "One kind of mailbox per actor.");
    }

    /// <summary>What holds for the caller that is about to run a handler (Debug builds): it owns the actor if exclusive.</summary>
    [Conditional("DEBUG")]
    private void AssertOwned()
    {
        AssertInvariants();
        Debug.Assert(!_exclusive || Volatile.Read(ref _status) is Owned or Draining, "A handler ran without owning the exclusive actor.");
    }

    private void DeadLetterEnvelope(Envelope<TMessage> envelope, DeadLetterReason reason, Exception? exception)
    {
        var message = envelope.Message;
        var observer = envelope.Observer;
        _pool.Return(envelope);
        System.PublishDeadLetter(Path, message, reason, exception, observer);
    }
}
