using Graph.Engine.Checkpoints;

namespace Graph.Engine.Testing.Tests.Simulation;

/// <summary>
/// A store in front of a real one (in memory, or SQLite on a file) that yields to the scheduler before each write lands
/// or hangs on the simulated clock (so writes overlap the run's tasks, and a cancel can strike while one is on its way), fails a chosen write, or dies after a chosen put (later writes are lost).
/// Writes still land in call order, as the <see cref="ICheckpointer"/> contract asks.
/// </summary>
public sealed class FaultyCheckpointer(ICheckpointer inner, FaultPlan plan, Func<Task> awaitPoint, DeterministicScheduler scheduler) : ICheckpointer
{
    private int writes;
    private int puts;
    private bool dead;
    private Task tail = Task.CompletedTask;

    public ICheckpointer Inner { get; } = inner;

    /// <summary>Whether the simulated process died (the store refuses every later call).</summary>
    public bool Dead => Volatile.Read(ref dead);

    public Task PutAsync(Checkpoint checkpoint, CheckpointDurability durability, CancellationToken cancellationToken = default) =>
        InOrder(async () =>
        {
            await Inner.PutAsync(checkpoint, durability, cancellationToken).ConfigureAwait(true);
            if (plan.Kind == FaultKind.CrashAfterPut && Interlocked.Increment(ref puts) == plan.At)
            {
                Volatile.Write(ref dead, true);
            }
        });

    public Task PutWritesAsync(string threadId, long checkpointId, IReadOnlyList<PendingWrite> writes, CancellationToken cancellationToken = default) =>
        InOrder(() => Inner.PutWritesAsync(threadId, checkpointId, writes, cancellationToken));

    public Task<Checkpoint?> GetAsync(string threadId, long? checkpointId = null, CancellationToken cancellationToken = default) =>
        Dead ? Task.FromException<Checkpoint?>(new IOException("the process died")) : Inner.GetAsync(threadId, checkpointId, cancellationToken);

    public Task<IReadOnlyList<Checkpoint>> ListAsync(string threadId, int? limit = null, long? before = null, CancellationToken cancellationToken = default) =>
        Inner.ListAsync(threadId, limit, before, cancellationToken);

    public Task<IReadOnlyList<string>> ListThreadsAsync(CancellationToken cancellationToken = default) => Inner.ListThreadsAsync(cancellationToken);

    public Task<bool> DeleteThreadAsync(string threadId, CancellationToken cancellationToken = default) => Inner.DeleteThreadAsync(threadId, cancellationToken);

    public Task CopyThreadAsync(string sourceThreadId, string targetThreadId, CancellationToken cancellationToken = default) =>
        Inner.CopyThreadAsync(sourceThreadId, targetThreadId, cancellationToken);

    public Task<int> PruneAsync(string threadId, int keepLast, CancellationToken cancellationToken = default) => Inner.PruneAsync(threadId, keepLast, cancellationToken);

    /// <summary>Runs <paramref name="write"/> after every write called before it has landed or failed.</summary>
    private Task InOrder(Func<Task> write)
    {
        lock (this)
        {
            var previous = tail;
            var next = AfterAsync(previous, write);
            tail = next;
            return next;
        }
    }

    private async Task AfterAsync(Task previous, Func<Task> write)
    {
        try
        {
            await previous.ConfigureAwait(true);
        }
#pragma warning disable CA1031 // An earlier write's failure is that write's caller's to see.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        await BeforeWriteAsync().ConfigureAwait(true);
        await write().ConfigureAwait(true);
    }

    private async Task BeforeWriteAsync()
    {
        for (var i = 0; i < plan.WriteYields; i++)
        {
            await awaitPoint().ConfigureAwait(true); // where a cancel can strike while the write is on its way
        }

        if (plan.SlowWrites)
        {
            // A hanging write: lands when the scheduler, with nothing else to run, moves the clock a minute on.
            var landed = new TaskCompletionSource();
            using var timer = scheduler.Clock.CreateTimer(static s => ((TaskCompletionSource)s!).TrySetResult(), landed, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
            await landed.Task.ConfigureAwait(true);
        }

        if (Dead)
        {
            throw new IOException("the process died");
        }

        if (plan.Kind == FaultKind.StoreWriteFails && Interlocked.Increment(ref writes) == plan.At)
        {
            throw new IOException($"simulated write failure (write {plan.At}: fsync failed)");
        }
    }
}
