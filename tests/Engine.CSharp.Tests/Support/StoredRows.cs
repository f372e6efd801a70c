using Graph.Engine.Checkpoints;

namespace Graph.Engine.Tests.Support;

/// <summary>Small checkpoints and pending writes for store tests that write rows directly, not through a graph.</summary>
public static class StoredRows
{
    /// <summary>A pending write of <paramref name="task"/> (its node has the same name) with a two-byte payload.</summary>
    public static PendingWrite Write(string task) => new(task, task, PendingWriteKind.Update, new byte[] { 1, 2 });

    /// <summary>Checkpoint <paramref name="id"/> of <paramref name="thread"/>: its step is its id and its state the id as an <see cref="int"/>.</summary>
    public static Checkpoint Checkpoint(string thread, long id, long? parent = null) => new()
    {
        ThreadId = thread,
        Id = id,
        ParentId = parent,
        Step = (int)id,
        StateType = "int",
        State = BitConverter.GetBytes((int)id),
        Metadata = new CheckpointMetadata { Source = CheckpointSource.Loop },
        CreatedAt = DateTimeOffset.UnixEpoch.AddMinutes(id),
    };
}
