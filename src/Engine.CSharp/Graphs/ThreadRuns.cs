using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>
/// The runs admitted on each thread of one checkpointer in this process, in admission order (the first is the one in
/// flight): what <see cref="MultitaskStrategy"/> acts on. Shared by every compiled graph that uses the checkpointer.
/// </summary>
internal sealed class ThreadRuns
{
    private static readonly ConditionalWeakTable<ICheckpointer, ThreadRuns> ByStore = [];
    /// <summary>Per thread with runs admitted: its one ticket, or the queue of them (<c>List&lt;Ticket&gt;</c>) while several wait.</summary>
    private readonly Dictionary<string, object> threads = new(StringComparer.Ordinal);

    /// <summary>What a run that ended before its ticket was attached holds instead (<see cref="IRunControl.ReleaseOnEnd"/>).</summary>
    public static readonly object Ended = new();

    public static ThreadRuns For(ICheckpointer store) => ByStore.GetValue(store, static _ => new ThreadRuns());

    /// <summary>
    /// Admits a run on <paramref name="threadId"/>: at once when the thread is free; otherwise as
    /// <paramref name="strategy"/> says (refuse, or wait for the runs admitted earlier after asking the one in flight to
    /// stop or to cancel, and roll back what a cancelled one wrote). The ticket holds the thread until released.
    /// </summary>
    /// <returns>The ticket when the thread was free (nothing to wait for: <paramref name="waiting"/> is null); else null and the admission to await.</returns>
    public Ticket? Admit(ICheckpointer store, string threadId, MultitaskStrategy strategy, CancellationToken cancellationToken, out Task<Ticket>? waiting)
    {
        var ticket = new Ticket(this, threadId);
        Ticket[] earlier;
        lock (threads)
        {
            ref var held = ref CollectionsMarshal.GetValueRefOrAddDefault(threads, threadId, out _);
            var queue = held as List<Ticket>;
            if (held is Ticket single && !single.IsOver)
            {
                queue = [single];
            }

            queue?.RemoveAll(static t => t.IsOver); // a run whose caller has seen its end no longer holds the thread
            if (queue is null or { Count: 0 })
            {
                earlier = [];
                held = ticket; // a free thread: its one ticket, no queue
            }
            else
            {
                if (strategy == MultitaskStrategy.Reject)
                {
                    throw new GraphThreadBusyException(threadId, queue[0].RunId);
                }

                earlier = [.. queue];
                queue.Add(ticket);
                held = queue;
            }
        }

        waiting = earlier.Length == 0 ? null : WaitForEarlierAsync(store, threadId, strategy, ticket, earlier, cancellationToken);
        return waiting is null ? ticket : null;
    }

    /// <summary><see cref="Admit"/> as a task.</summary>
    public Task<Ticket> AdmitAsync(ICheckpointer store, string threadId, MultitaskStrategy strategy, CancellationToken cancellationToken) =>
        Admit(store, threadId, strategy, cancellationToken, out var waiting) is { } ticket ? Task.FromResult(ticket) : waiting!;

    /// <summary>Admits <paramref name="ticket"/> after the runs admitted before it on the thread, as <paramref name="strategy"/> says.</summary>
    private static async Task<Ticket> WaitForEarlierAsync(ICheckpointer store, string threadId, MultitaskStrategy strategy, Ticket ticket, Ticket[] earlier, CancellationToken cancellationToken)
    {
        try
        {
            var running = earlier[0];
            if (strategy == MultitaskStrategy.Interrupt)
            {
                running.RequestStop();
            }
            else if (strategy == MultitaskStrategy.Rollback)
            {
                running.Abort($"The run on thread '{threadId}' was cancelled and rolled back: a newer run was started on the thread with MultitaskStrategy.Rollback.");
            }

            await Task.WhenAll(earlier.Select(t => t.Ended)).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (strategy == MultitaskStrategy.Rollback && running.RunId is { } victim)
            {
                await RollBackAsync(store, threadId, victim, cancellationToken).ConfigureAwait(false);
            }

            return ticket;
        }
        catch
        {
            ticket.Release();
            throw;
        }
    }

    /// <summary>Deletes the checkpoints the cancelled run wrote: the newest ones, those that carry its run id.</summary>
    private static async Task RollBackAsync(ICheckpointer store, string threadId, string runId, CancellationToken cancellationToken)
    {
        var history = await store.ListAsync(threadId, cancellationToken: cancellationToken).ConfigureAwait(false);
        long? oldest = null;
        foreach (var checkpoint in history)
        {
            if (!checkpoint.Metadata.Properties.TryGetValue("run_id", out var id) || !string.Equals(id, runId, StringComparison.Ordinal))
            {
                break;
            }

            oldest = checkpoint.Id;
        }

        if (oldest is { } first)
        {
            await CheckpointRollback.DeleteNewerThanAsync(store, threadId, first - 1, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Remove(Ticket ticket)
    {
        lock (threads)
        {
            if (threads.TryGetValue(ticket.ThreadId, out var held)
                && (ReferenceEquals(held, ticket) || (held is List<Ticket> queue && queue.Remove(ticket) && queue.Count == 0)))
            {
                threads.Remove(ticket.ThreadId);
            }
        }
    }

    /// <summary>What a ticket asks of the run it holds the thread for (the engine's run).</summary>
    internal interface IRunControl
    {
        string RunId { get; }

        Task Completion { get; }

        /// <summary>Releases <paramref name="ticket"/> once the run has ended (at once if it has).</summary>
        void ReleaseOnEnd(Ticket ticket);

        void RequestStop();

        void Abort(string reason);
    }

    /// <summary>One admitted run's hold on its thread, from admission until the run has ended.</summary>
    /// <remarks>The ticket is its own lock (it is never handed out of the engine); its end is a task only once someone waits for it.</remarks>
    internal sealed class Ticket(ThreadRuns owner, string threadId)
    {
        private TaskCompletionSource? ended;
        private bool released;
        private IRunControl? run;
        private bool stopRequested;
        private string? abortReason;

        public string ThreadId { get; } = threadId;

        public string? RunId => run?.RunId;

        /// <summary>Completes when the ticket is released.</summary>
        public Task Ended
        {
            get
            {
                lock (this)
                {
                    return released ? Task.CompletedTask
                        : (ended ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                }
            }
        }

        public bool IsOver => Volatile.Read(ref released) || run?.Completion.IsCompleted == true;

        /// <summary>Binds the started run: requests made before it started are applied now; its end releases the ticket.</summary>
        public void Attach(IRunControl started)
        {
            lock (this)
            {
                run = started;
            }

            if (abortReason is { } reason)
            {
                started.Abort(reason);
            }
            else if (stopRequested)
            {
                started.RequestStop();
            }

            started.ReleaseOnEnd(this);
        }

        public void RequestStop()
        {
            IRunControl? now;
            lock (this)
            {
                stopRequested = true;
                now = run;
            }

            now?.RequestStop();
        }

        public void Abort(string reason)
        {
            IRunControl? now;
            lock (this)
            {
                abortReason = reason;
                now = run;
            }

            now?.Abort(reason);
        }

        public void Release()
        {
            owner.Remove(this);
            TaskCompletionSource? waiting;
            lock (this)
            {
                released = true;
                waiting = ended;
            }

            waiting?.TrySetResult();
        }
    }
}
