using System.Runtime.CompilerServices;
using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>
/// The runs admitted on each thread of one checkpointer in this process, in admission order (the first is the one in
/// flight): what <see cref="MultitaskStrategy"/> acts on. Shared by every compiled graph that uses the checkpointer.
/// </summary>
internal sealed class ThreadRuns
{
    private static readonly ConditionalWeakTable<ICheckpointer, ThreadRuns> ByStore = [];
    private readonly Dictionary<string, List<Ticket>> threads = new(StringComparer.Ordinal);

    public static ThreadRuns For(ICheckpointer store) => ByStore.GetValue(store, static _ => new ThreadRuns());

    /// <summary>
    /// Admits a run on <paramref name="threadId"/>: at once when the thread is free; otherwise as
    /// <paramref name="strategy"/> says (refuse, or wait for the runs admitted earlier after asking the one in flight to
    /// stop or to cancel, and roll back what a cancelled one wrote). The ticket holds the thread until released.
    /// </summary>
    public async Task<Ticket> AdmitAsync(ICheckpointer store, string threadId, MultitaskStrategy strategy, CancellationToken cancellationToken)
    {
        Ticket ticket;
        Ticket[] earlier;
        lock (threads)
        {
            if (threads.TryGetValue(threadId, out var queue))
            {
                queue.RemoveAll(t => t.IsOver); // a run whose caller has seen its end no longer holds the thread
            }
            else
            {
                queue = [];
                threads.Add(threadId, queue);
            }

            if (queue.Count > 0 && strategy == MultitaskStrategy.Reject)
            {
                throw new GraphThreadBusyException(threadId, queue[0].RunId);
            }

            earlier = [.. queue];
            ticket = new Ticket(this, threadId);
            queue.Add(ticket);
        }

        if (earlier.Length == 0)
        {
            return ticket;
        }

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
            if (threads.TryGetValue(ticket.ThreadId, out var queue) && queue.Remove(ticket) && queue.Count == 0)
            {
                threads.Remove(ticket.ThreadId);
            }
        }
    }

    /// <summary>One admitted run's hold on its thread, from admission until the run has ended.</summary>
    internal sealed class Ticket(ThreadRuns owner, string threadId)
    {
        private readonly TaskCompletionSource ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock gate = new();
        private Task? completion;
        private Action? stop;
        private Action<string>? abort;
        private bool stopRequested;
        private string? abortReason;

        public string ThreadId { get; } = threadId;

        public string? RunId { get; private set; }

        /// <summary>Completes when the ticket is released.</summary>
        public Task Ended => ended.Task;

        public bool IsOver => ended.Task.IsCompleted || completion?.IsCompleted == true;

        /// <summary>Binds the started run: requests made before it started are applied now; its end releases the ticket.</summary>
        public void Attach(string runId, Task runCompletion, Action requestStop, Action<string> requestAbort)
        {
            lock (gate)
            {
                (RunId, completion, stop, abort) = (runId, runCompletion, requestStop, requestAbort);
            }

            if (abortReason is { } reason)
            {
                requestAbort(reason);
            }
            else if (stopRequested)
            {
                requestStop();
            }

            _ = runCompletion.ContinueWith(static (_, state) => ((Ticket)state!).Release(), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        public void RequestStop()
        {
            Action? now;
            lock (gate)
            {
                stopRequested = true;
                now = stop;
            }

            now?.Invoke();
        }

        public void Abort(string reason)
        {
            Action<string>? now;
            lock (gate)
            {
                abortReason = reason;
                now = abort;
            }

            now?.Invoke(reason);
        }

        public void Release()
        {
            owner.Remove(this);
            ended.TrySetResult();
        }
    }
}
