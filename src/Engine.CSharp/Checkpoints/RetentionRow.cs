using Graph.Engine.Checkpoints.Storage;

namespace Graph.Engine.Checkpoints;

/// <summary>What <see cref="RetentionPolicy"/> decides a checkpoint by: its place in the history, its age and its size, without its payload.</summary>
/// <param name="Id">The checkpoint's id.</param>
/// <param name="ParentId">Its parent's id, if any.</param>
/// <param name="CreatedAt">When it was written.</param>
/// <param name="Size">The bytes it counts against <see cref="RetentionPolicy.MaxBytesPerThread"/>: state, planner state, send arguments and pending-write payloads.</param>
internal readonly record struct RetentionRow(long Id, long? ParentId, DateTimeOffset CreatedAt, long Size)
{
    /// <summary>The row of a checkpoint held as an object (its payload is not copied).</summary>
    public static RetentionRow Of(Checkpoint checkpoint)
    {
        long size = checkpoint.State.Length + checkpoint.PlannerState.Length + SendBytes(checkpoint.NextTasks);
        foreach (var write in checkpoint.PendingWrites)
        {
            size += write.Payload.Length;
        }

        return new RetentionRow(checkpoint.Id, checkpoint.ParentId, checkpoint.CreatedAt, size);
    }

    /// <summary>
    /// The row of a stored checkpoint from its columns: the state's stored length, or for a chunked state the length its
    /// manifest records (the chunks are not read); the encoded next tasks, for their send arguments.
    /// </summary>
    public static RetentionRow Stored(
        string threadId, long id, long? parentId, long createdTicks, int createdOffsetMinutes,
        long stateKind, long storedLength, byte[]? manifest, long plannerLength, byte[] nextTasks, long writeBytes)
    {
        long state = stateKind == StateChunks.ChunkedKind && manifest is not null
            ? StoreDamage.Decoding(threadId, id, "its state manifest", () => StateChunks.DecodeManifest(manifest)).TotalLength
            : storedLength;
        var tasks = StoreDamage.Decoding(threadId, id, "its next tasks", () => CheckpointRecordCodec.DecodeTasks(nextTasks));
        var createdAt = StoreDamage.Decoding(threadId, id, "its creation time", () => new DateTimeOffset(createdTicks, TimeSpan.FromMinutes(createdOffsetMinutes)));
        return new RetentionRow(id, parentId, createdAt, state + plannerLength + SendBytes(tasks) + writeBytes);
    }

    private static long SendBytes(IReadOnlyList<PlannedTaskRecord> tasks)
    {
        long size = 0;
        foreach (var task in tasks)
        {
            size += task.SendArgument?.Length ?? 0;
        }

        return size;
    }
}
