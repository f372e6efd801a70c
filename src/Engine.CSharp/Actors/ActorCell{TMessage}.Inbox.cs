using System.Diagnostics;
using System.Threading.Tasks.Dataflow;

namespace Graph.Engine.Actors;

// The busy path of an exclusive actor: the inbox ActionBlock, whose own loop runs only inside the owner of the status
// word (the discipline is in ActorCell{TMessage}.cs).
internal sealed partial class ActorCell<TMessage>
{
    /// <summary>The inbox of an exclusive actor (not DropOldest), created on first use: it shares the field of the parallel actors' block.</summary>
    private ActionBlock<Envelope<TMessage>> Inbox => Volatile.Read(ref _action) ?? CreateInbox();

    /// <summary>The owner's helper (the inbox's scheduler, the backlog, the continuation), created on first use.</summary>
    private Drain Drainer => Volatile.Read(ref _drain) ?? CreateDrain();

    private Drain CreateDrain()
    {
        var drain = new Drain(this);
        return Interlocked.CompareExchange(ref _drain, drain, null) ?? drain;
    }

    /// <summary>
    /// An unbounded <see cref="ActionBlock{TInput}"/> with a synchronous delegate, one message at a time and
    /// <see cref="ExecutionDataflowBlockOptions.SingleProducerConstrained"/>, which Dataflow serves with its lock-free
    /// single-producer, single-consumer queue: a post takes no block lock and the loop none per message. The senders are
    /// serialised by a producer lock word on the senders' cache line (<see cref="MailboxCounts.EnterProducers"/>; one
    /// sender never contends). Its loop is a task queued to the cell's own scheduler (<see cref="Drain"/>), which runs it
    /// only inside the owner of the status word (<see cref="RunInbox"/>), so the block's loop never runs beside the slot,
    /// an inline run or an asynchronous handler.
    /// </summary>
    private ActionBlock<Envelope<TMessage>> CreateInbox()
    {
        Debug.Assert(_exclusive && !_dropOldest, "Only an exclusive actor without DropOldest has an inbox.");
        var inbox = new ActionBlock<Envelope<TMessage>>(
            OnInboxMessage,
            new ExecutionDataflowBlockOptions
            {
                TaskScheduler = Drainer,
                MaxMessagesPerTask = Options.Throughput,
                SingleProducerConstrained = true,
            });
        return Interlocked.CompareExchange(ref _action, inbox, null) ?? inbox;
    }

    /// <summary>Posts to the inbox as its one producer at a time; false once the inbox is completed.</summary>
    private bool PostToInbox(Envelope<TMessage> envelope)
    {
        var inbox = Inbox;
        _counts.EnterProducers();
        try
        {
            return inbox.Post(envelope);
        }
        finally
        {
            _counts.ExitProducers();
        }
    }

    /// <summary>Completes the inbox (the close), as its one producer at a time: no post is half-way through.</summary>
    private void CompleteInbox()
    {
        var inbox = Inbox;
        _counts.EnterProducers();
        try
        {
            inbox.Complete();
        }
        finally
        {
            _counts.ExitProducers();
        }
    }

    /// <summary>
    /// Runs the inbox's loop task here, as the owner (status <c>Draining</c> meanwhile, so an alone sender posts to the
    /// inbox instead of the slot and the run goes on). Returns when the inbox is empty, the throughput is used up, or,
    /// after a handler went asynchronous, the rest of the run has moved to the backlog.
    /// </summary>
    /// <returns>The messages handled to completion in this run.</returns>
    private int RunInbox(Task run)
    {
        Debug.Assert(Volatile.Read(ref _status) == Owned, "Only the owner runs the inbox.");
        var drain = _drain!;
        Debug.Assert(drain.Backlog is not { Count: > 0 }, "The backlog is empty before a run: the owner takes it first.");
        drain.Handled = 0;
        drain.Outer = ExecutionContext.Capture();
        Volatile.Write(ref _status, Draining);
        drain.Execute(run);
        Volatile.Write(ref _status, Owned);
        return drain.Handled;
    }

    /// <summary>
    /// The inbox's delegate, inside <see cref="RunInbox"/>: takes one message (the handed-over one first, which is older
    /// than anything in the inbox), or keeps it in the backlog while an earlier one's handler has not completed.
    /// </summary>
    private void OnInboxMessage(Envelope<TMessage> envelope)
    {
        var drain = _drain!;
        if (drain.Awaiting is not null)
        {
            drain.Keep(envelope);
            return;
        }

        if (drain.Handled == 0 && drain.Outer is { } outer && ExecutionContext.Capture() != outer)
        {
            // The loop task carries the context of the send that started it: handlers never see a sender's.
            ExecutionContext.Restore(outer);
        }

        if (TakeHandedOver(out var older) && !HandleInInbox(drain, older))
        {
            drain.Keep(envelope);
            return;
        }

        _counts.TakeOneAsOwner();
        AssertInvariants();
        if (HandleInInbox(drain, envelope) && drain.Handled > 1 && _counts.AtMostOneWaitsToOwner())
        {
            // The producer is likely to send again, or has counted its next message and is posting it: keep the run (and
            // so the block's task) alive until a message is in the inbox. A run that ended here would make the next post
            // start a new loop task: a Task and a trip through the owner, every few messages when the actor keeps up.
            SpinForInput();
        }
    }

    /// <summary>Handles a taken message in the inbox's run; false when its handler went asynchronous (the run then only keeps).</summary>
    private bool HandleInInbox(Drain drain, Envelope<TMessage> envelope)
    {
        var pending = HandleTaken(envelope);
        if (!pending.IsCompleted)
        {
            drain.Awaiting = pending;
            return false;
        }

        drain.Handled++;
        return true;
    }

    /// <summary>
    /// Spins without yielding the core, for a bounded microsecond or so, until the inbox holds a message or the mailbox is
    /// sealed. It looks at once (usually the message is there), then seldom (every <see cref="InputPollIterations"/> spin
    /// iterations): each look reads the line the producer writes for every post, and looking in a tight loop would slow
    /// the producer the owner is waiting for. The inbox's <see cref="ActionBlock{TInput}.InputCount"/> reads the indices
    /// of its single-producer queue without a lock; a stale value only ends the spin early or late, never loses a
    /// message (the block's loop and its posts check each other for that).
    /// </summary>
    private void SpinForInput()
    {
        var inbox = _action!;
        for (var i = 0; i < InputPollRounds; i++)
        {
            if (inbox.InputCount > 0 || _sealed)
            {
                return;
            }

            Thread.SpinWait(InputPollIterations);
        }
    }

    /// <summary>
    /// The owner's helper of an exclusive actor: the scheduler of the inbox's loop task (held as pending until the owner
    /// runs it), the backlog of messages a run took while a handler was asynchronous, and the loop's continuation.
    /// </summary>
    private sealed class Drain(ActorCell<TMessage> cell) : TaskScheduler
    {
        private static readonly Action<(Drain Drain, Task Task)> RunForeign = static s => s.Drain.TryExecuteTask(s.Task);
        private Task? _pending;
        private object? _loopState;

        /// <summary>Handlers that completed in the current run (written by the owner only).</summary>
        public int Handled;

        /// <summary>The execution context of the owner's work item (the default), restored for handlers in a run.</summary>
        public ExecutionContext? Outer;

        /// <summary>The handler of this run that went asynchronous; the rest of the run goes to the backlog.</summary>
        public Task? Awaiting;

        /// <summary>Messages the run took after <see cref="Awaiting"/>, still counted; the owner handles them first.</summary>
        public Queue<Envelope<TMessage>>? Backlog;

        private Action? _continue;

        /// <summary>Schedules the loop again after an asynchronous handler (created on first use).</summary>
        public Action Continue => _continue ??= cell.Reschedule;

        /// <summary>Whether the inbox has a loop task waiting for the owner.</summary>
        public bool HasPending => Volatile.Read(ref _pending) is not null;

        public void Keep(Envelope<TMessage> envelope) => (Backlog ??= new()).Enqueue(envelope);

        /// <summary>The owner takes the waiting loop task (there is at most one: the block starts the next only once this one ends).</summary>
        public Task? TakePending()
        {
            var run = Volatile.Read(ref _pending);
            if (run is not null)
            {
                Volatile.Write(ref _pending, null);
            }

            return run;
        }

        public void Execute(Task run) => TryExecuteTask(run);

        /// <inheritdoc/>
        protected override void QueueTask(Task task)
        {
            // The first task queued here is the inbox's loop (nothing else runs under this scheduler before it); the
            // block gives each of its loop tasks the same state. Anything else was queued by a handler that ran under
            // this scheduler (an await that captured it, a StartNew): it runs on the thread pool.
            var state = Volatile.Read(ref _loopState) ?? Interlocked.CompareExchange(ref _loopState, task.AsyncState, null) ?? task.AsyncState;
            if (!ReferenceEquals(task.AsyncState, state))
            {
                // As the default scheduler would (handlers see this one as TaskScheduler.Current, so Parallel.For and
                // StartNew come here): a long-running task gets a thread of its own, the rest go to the pool. The level
                // stays the default's (unbounded) so Parallel.For in a handler is not limited to one thread.
                if ((task.CreationOptions & TaskCreationOptions.LongRunning) != 0)
                {
                    new Thread(static s => { var (drain, foreign) = ((Drain, Task))s!; drain.TryExecuteTask(foreign); }) { IsBackground = true }
                        .UnsafeStart((this, task));
                    return;
                }

                ThreadPool.UnsafeQueueUserWorkItem(RunForeign, (this, task), preferLocal: false);
                return;
            }

            var previous = Interlocked.Exchange(ref _pending, task);
            Debug.Assert(previous is null, "The inbox queued a second loop task while one waited.");
            cell.ScheduleIfIdle();
        }

        /// <inheritdoc/>
        protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

        /// <inheritdoc/>
        protected override IEnumerable<Task> GetScheduledTasks() => Volatile.Read(ref _pending) is { } run ? [run] : [];
    }
}
