using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>
/// The checkpoint side of one run: assigns ids (latest + 1), records pending writes against the checkpoint the current
/// step started from, saves a checkpoint per step in the run's durability mode and flushes at the end.
/// Writes are issued before the step's checkpoint; the store applies calls in call order.
/// </summary>
internal sealed class RunPersistence
{
    private readonly ICheckpointer store;
    private readonly IOwnedCheckpointSink? sink;
    private IReadOnlyDictionary<string, string>? properties;
    private readonly CheckpointDurability durability;
    private readonly TimeProvider time;
    private readonly List<Task> inflight = [];
    private readonly List<PendingWrite> heldWrites = [];
    private readonly long? startId;
    private long nextId;
    private long? currentId;
    private Checkpoint? held;
    private bool closed;

    public RunPersistence(ICheckpointer store, ICheckpointSerializer serializer, CheckpointDurability durability, string threadId, TimeProvider time, long latestId, long? startId, CheckpointRecordCache cache)
    {
        this.store = store;
        sink = store as IOwnedCheckpointSink;
        Cache = cache;
        Serializer = serializer;
        this.durability = durability;
        ThreadId = threadId;
        this.time = time;
        nextId = latestId + 1;
        this.startId = startId;
        currentId = startId;
    }

    public string ThreadId { get; }

    public ICheckpointSerializer Serializer { get; }

    /// <summary>Immutable records shared by the compiled graph's checkpoints.</summary>
    public CheckpointRecordCache Cache { get; }

    public CheckpointDurability Durability => durability;

    /// <summary>The checkpoint the current step started from (the latest one of this run).</summary>
    public long? CurrentId => currentId;

    /// <summary>The checkpoint put at exit (AtExit mode), for the saved event; null otherwise.</summary>
    public Checkpoint? Held => held;

    /// <summary>Records one task's outcome against <see cref="CurrentId"/> (thread-safe; called by finishing tasks).</summary>
    public void RecordWrite(PendingWrite write)
    {
        if (durability == CheckpointDurability.AtExit)
        {
            lock (heldWrites)
            {
                PendingWrites.Merge(heldWrites, [write]);
            }

            return;
        }

        lock (inflight)
        {
            if (closed)
            {
                return;
            }

            Track(sink is not null
                ? sink.PutWriteOwnedAsync(ThreadId, currentId!.Value, write)
                : store.PutWritesAsync(ThreadId, currentId!.Value, [write], CancellationToken.None));
        }
    }

    /// <summary>
    /// Saves a checkpoint following <see cref="CurrentId"/>. Returns the put to await before the next step
    /// (<see cref="CheckpointDurability.PerStepSync"/>), or null. The runner hands over <paramref name="state"/>,
    /// <paramref name="next"/>, <paramref name="planner"/> and <paramref name="writers"/>: fresh or immutable, never
    /// touched again, so the stores of this repository keep them without copying.
    /// </summary>
    public Task? Save(CheckpointSource source, int step, string stateType, byte[] state, IReadOnlyList<PlannedTaskRecord> next, ReadOnlyMemory<byte> planner, IReadOnlyList<string> writers, string runId)
    {
        var atExit = durability == CheckpointDurability.AtExit;
        var checkpoint = new Checkpoint
        {
            ThreadId = ThreadId,
            Id = atExit ? nextId : nextId++,
            ParentId = atExit ? startId : currentId,
            Step = step,
            StateType = stateType,
            State = state,
            NextTasks = next,
            PlannerState = planner,
            Metadata = new CheckpointMetadata
            {
                Source = source,
                Writers = writers,
                Properties = properties ??= new System.Collections.ObjectModel.ReadOnlyDictionary<string, string>(
                    Cache.Fingerprint?.AddTo(new Dictionary<string, string>(1, StringComparer.Ordinal) { ["run_id"] = runId })
                    ?? new Dictionary<string, string>(1, StringComparer.Ordinal) { ["run_id"] = runId }),
            },
            CreatedAt = time.GetUtcNow(),
        };
        currentId = checkpoint.Id;
        if (atExit)
        {
            held = checkpoint;
            lock (heldWrites)
            {
                heldWrites.Clear();
            }

            return null;
        }

        ThrowIfFaulted();
        Task put;
        lock (inflight)
        {
            if (closed)
            {
                return null;
            }

            // Tracked in every mode: a run that ends (cancelled, failed) while its PerStepSync put is queued completes
            // only after the put settles, so a resume at once reads this checkpoint as the latest.
            put = sink is not null
                ? sink.PutOwnedAsync(checkpoint, durability)
                : store.PutAsync(checkpoint, durability, CancellationToken.None);
            Track(put);
        }

        return durability == CheckpointDurability.PerStepSync ? put : null;
    }

    /// <summary>Keeps a store call to await at the end (caller holds the lock); one that already succeeded (the in-memory store) needs nothing.</summary>
    private void Track(Task task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            inflight.Add(task);
        }
    }

    /// <summary>Puts what AtExit held and awaits every call in flight; throws the first store failure.</summary>
    public async Task FlushAsync()
    {
        if (durability == CheckpointDurability.AtExit)
        {
            PendingWrite[] writes;
            lock (heldWrites)
            {
                writes = [.. heldWrites];
                heldWrites.Clear();
            }

            if (held is not null)
            {
                await store.PutAsync(held with { PendingWrites = writes }, durability, CancellationToken.None).ConfigureAwait(false);
            }
            else if (writes.Length > 0 && currentId is { } id)
            {
                await store.PutWritesAsync(ThreadId, id, writes, CancellationToken.None).ConfigureAwait(false);
            }

            return;
        }

        Task[] pending;
        lock (inflight)
        {
            pending = [.. inflight];
            inflight.Clear();
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    /// <summary>
    /// Called once when the run ends: store calls issued later (by tasks or a step still finishing) are dropped, so
    /// every call of this run is either awaited by <see cref="FlushAsync"/> or never made. Returns whether
    /// <see cref="FlushAsync"/> has anything to do.
    /// </summary>
    public bool Close()
    {
        if (durability == CheckpointDurability.AtExit)
        {
            return true;
        }

        lock (inflight)
        {
            closed = true;
            return inflight.Exists(t => !t.IsCompletedSuccessfully);
        }
    }

    private void ThrowIfFaulted()
    {
        lock (inflight)
        {
            for (var i = inflight.Count - 1; i >= 0; i--)
            {
                var t = inflight[i];
                if (t.IsFaulted)
                {
                    t.GetAwaiter().GetResult();
                }

                if (t.IsCompletedSuccessfully)
                {
                    inflight.RemoveAt(i);
                }
            }
        }
    }
}
