using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>
/// The checkpoint side of one run: assigns ids (latest + 1), records pending writes against the checkpoint the current
/// step started from, saves a checkpoint per step in the run's durability mode and flushes at the end.
/// Writes are issued before the step's checkpoint; the store applies calls in call order.
/// </summary>
/// <remarks>
/// No lock is held across a store call, and a call the store completes at once (the in-memory store) takes none: the
/// count of calls being made and the closed flag are one word changed by compare-and-swap, and only a call still
/// pending (or failed) when it returns is kept, under a lock, for the flush. So a store whose call does slow work
/// before returning its task (hashing, a full queue) delays no other task of the run. Ordering needs no lock: puts are
/// made one after the other by the step, and a write is recorded against the newest checkpoint whose put has been
/// issued, so it reaches the store after that put.
/// </remarks>
internal sealed class RunPersistence
{
    private readonly ICheckpointer store;
    private readonly IOwnedCheckpointSink? sink;
    private readonly IStepCheckpointSink? stepSink;
    private IReadOnlyDictionary<string, string>? properties;
    private readonly CheckpointDurability durability;
    private readonly TimeProvider time;
    private const int Closed = 1 << 30;
    private const int CallCount = Closed - 1;

    private readonly List<Task> inflight = [];
    private readonly List<PendingWrite>? heldWrites; // AtExit only
    private readonly long? startId;
    private long nextId;
    private long? currentId;

    /// <summary>The newest checkpoint whose put has been issued (0: none yet; ids start at 1).</summary>
    private long issuedId;

    private Checkpoint? held;

    /// <summary>The count of store calls being made (<see cref="CallCount"/> bits) and <see cref="Closed"/>.</summary>
    private int calls;

    /// <summary>Whether <see cref="inflight"/> may hold a call (set under its lock).</summary>
    private volatile bool tracking;

    private TaskCompletionSource? allIssued;

    public RunPersistence(ICheckpointer store, ICheckpointSerializer serializer, CheckpointDurability durability, string threadId, TimeProvider time, long latestId, long? startId, CheckpointRecordCache cache)
    {
        this.store = store;
        sink = store as IOwnedCheckpointSink;
        stepSink = store as IStepCheckpointSink;
        Cache = cache;
        Serializer = serializer;
        this.durability = durability;
        heldWrites = durability == CheckpointDurability.AtExit ? [] : null;
        ThreadId = threadId;
        this.time = time;
        nextId = latestId + 1;
        this.startId = startId;
        currentId = startId;
        issuedId = startId ?? 0;
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

    /// <summary>
    /// Records one task's outcome against the checkpoint its step started from (thread-safe; called by finishing
    /// tasks): the newest one whose put has been issued. <paramref name="payload"/> is fresh and handed over.
    /// </summary>
    public void RecordWrite(string taskId, string node, PendingWriteKind kind, byte[] payload) => Write(taskId, node, kind, payload, null, 0);

    /// <summary>
    /// Records a task's update as <see cref="RecordWrite"/> does, unserialized, when the store keeps values inline
    /// (<see cref="CheckpointRecordCache.InlineUpdate{TUpdate}"/>); otherwise returns false, having done nothing.
    /// </summary>
    public bool TryRecordInlineUpdate<TUpdate>(string taskId, string node, TUpdate update)
    {
        if (stepSink is null || durability == CheckpointDurability.AtExit || Cache.InlineUpdate<TUpdate>(Serializer) is not { } inline)
        {
            return false;
        }

        Write(taskId, node, PendingWriteKind.Update, null, inline, InlineBits<TUpdate>.From(update));
        return true;
    }

    /// <summary>A write of <paramref name="payload"/>, or of <paramref name="bits"/> kept inline by <paramref name="inline"/>.</summary>
    private void Write(string taskId, string node, PendingWriteKind kind, byte[]? payload, InlineValue? inline, long bits)
    {
        if (durability == CheckpointDurability.AtExit)
        {
            lock (heldWrites!)
            {
                PendingWrites.Merge(heldWrites, new PendingWrite(taskId, node, kind, payload!));
            }

            return;
        }

        if (!BeginCall())
        {
            return;
        }

        var checkpointId = Volatile.Read(ref issuedId);
        Task? call = null;
        try
        {
            call = inline is not null ? stepSink!.PutWriteAsync(ThreadId, checkpointId, taskId, node, kind, inline, bits)
                : stepSink is not null ? stepSink.PutWriteAsync(ThreadId, checkpointId, taskId, node, kind, payload!)
                : sink is not null ? sink.PutWriteOwnedAsync(ThreadId, checkpointId, new PendingWrite(taskId, node, kind, payload!))
                : store.PutWritesAsync(ThreadId, checkpointId, [new PendingWrite(taskId, node, kind, payload!)], CancellationToken.None);
        }
        finally
        {
            Issued(call, 0);
        }
    }

    /// <summary>
    /// Saves a checkpoint following <see cref="CurrentId"/>. Returns the put to await before the next step
    /// (<see cref="CheckpointDurability.PerStepSync"/>), or null. <paramref name="state"/> is serialized here, or kept
    /// inline by a store that keeps values so (<see cref="CheckpointRecordCache.InlineState{TState}"/>). The runner hands
    /// over <paramref name="next"/>, <paramref name="planner"/> and <paramref name="writers"/>: fresh or immutable, never
    /// touched again, so the stores of this repository keep them without copying. The run is named by
    /// <paramref name="runId"/>, or when that is null by the number of its generated id, <paramref name="runNumber"/>.
    /// </summary>
    public Task? Save<TState>(CheckpointSource source, int step, TState state, IReadOnlyList<PlannedTaskRecord> next, ReadOnlyMemory<byte> planner, IReadOnlyList<string> writers, string? runId, long runNumber = 0)
    {
        var atExit = durability == CheckpointDurability.AtExit;
        var inline = stepSink is not null && !atExit ? Cache.InlineState<TState>(Serializer) : null;
        var checkpoint = new StepCheckpoint
        {
            ThreadId = ThreadId,
            Id = atExit ? nextId : nextId++,
            ParentId = atExit ? startId : currentId,
            Step = step,
            StateType = StateTypeName<TState>.Value,
            State = inline is null ? CheckpointBuffers.Serialize(Serializer, state) : null,
            InlineState = inline,
            StateBits = inline is null ? 0 : InlineBits<TState>.From(state),
            NextTasks = next,
            PlannerState = planner,
            Source = source,
            Writers = writers,
            Properties = properties ??= Cache.RunProperties(runId, runNumber),
            CreatedAt = time.GetUtcNow(),
        };
        currentId = checkpoint.Id;
        if (atExit)
        {
            held = checkpoint.ToCheckpoint();
            lock (heldWrites!)
            {
                heldWrites.Clear();
            }

            return null;
        }

        ThrowIfFaulted();
        if (!BeginCall())
        {
            return null;
        }

        // Tracked in every mode: a run that ends (cancelled, failed) while its PerStepSync put is queued completes
        // only after the put settles, so a resume at once reads this checkpoint as the latest.
        Task? put = null;
        try
        {
            put = stepSink is not null ? stepSink.PutStepAsync(checkpoint, durability)
                : sink is not null ? sink.PutOwnedAsync(checkpoint.ToCheckpoint(), durability)
                : store.PutAsync(checkpoint.ToCheckpoint(), durability, CancellationToken.None);
        }
        finally
        {
            Issued(put, put is null ? 0 : checkpoint.Id);
        }

        return durability == CheckpointDurability.PerStepSync ? put : null;
    }

    /// <summary>Counts a store call as being made; false (nothing counted) once the run is closed.</summary>
    private bool BeginCall()
    {
        var seen = Volatile.Read(ref calls);
        while (true)
        {
            if ((seen & Closed) != 0)
            {
                return false;
            }

            var before = Interlocked.CompareExchange(ref calls, seen + 1, seen);
            if (before == seen)
            {
                return true;
            }

            seen = before;
        }
    }

    /// <summary>
    /// Bookkeeping after a store call was made (<paramref name="call"/> is null when it threw): keeps its task when it
    /// is not done yet and, for a put, lets later writes record against <paramref name="checkpointId"/> (0 for a write).
    /// Wakes a flush waiting for the calls being made when this was the last.
    /// </summary>
    private void Issued(Task? call, long checkpointId)
    {
        if (call is not null && !call.IsCompletedSuccessfully)
        {
            lock (inflight)
            {
                inflight.Add(call);
                tracking = true;
            }
        }

        if (checkpointId != 0)
        {
            Volatile.Write(ref issuedId, checkpointId);
        }

        // The decrement is a full fence: a flush that saw calls being made has published its completion by then, or
        // sees this call's end when it looks again (FlushAsync).
        if ((Interlocked.Decrement(ref calls) & CallCount) == 0 && Volatile.Read(ref allIssued) is { } wake)
        {
            wake.TrySetResult();
        }
    }

    /// <summary>Puts what AtExit held and awaits every call in flight; throws the first store failure.</summary>
    public async Task FlushAsync()
    {
        if (durability == CheckpointDurability.AtExit)
        {
            PendingWrite[] writes;
            lock (heldWrites!)
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

        if ((Volatile.Read(ref calls) & CallCount) != 0)
        {
            TaskCompletionSource beingMade;
            lock (inflight)
            {
                beingMade = allIssued is { Task.IsCompleted: false } waiting ? waiting : new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Interlocked.Exchange(ref allIssued, beingMade); // a full fence before looking at the count again
            }

            if ((Volatile.Read(ref calls) & CallCount) == 0)
            {
                beingMade.TrySetResult(); // the last call ended before it could see the completion
            }

            await beingMade.Task.ConfigureAwait(false);
        }

        Task[] pending;
        lock (inflight)
        {
            pending = [.. inflight];
            inflight.Clear();
            tracking = false;
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

        if ((Interlocked.Or(ref calls, Closed) & CallCount) != 0)
        {
            return true;
        }

        if (!tracking)
        {
            return false;
        }

        lock (inflight)
        {
            return inflight.Exists(t => !t.IsCompletedSuccessfully);
        }
    }

    private void ThrowIfFaulted()
    {
        if (!tracking)
        {
            return; // every call so far completed when it returned
        }

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

            tracking = inflight.Count > 0;
        }
    }
}
