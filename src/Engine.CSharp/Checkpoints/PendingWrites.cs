namespace Graph.Engine.Checkpoints;

/// <summary>The replace-per-task-and-kind rule of <see cref="ICheckpointer.PutWritesAsync"/>, for in-memory lists.</summary>
internal static class PendingWrites
{
    public static void Merge(List<PendingWrite> existing, IReadOnlyList<PendingWrite> incoming)
    {
        foreach (var write in incoming)
        {
            ArgumentNullException.ThrowIfNull(write);
            ArgumentNullException.ThrowIfNull(write.TaskId);
            ArgumentNullException.ThrowIfNull(write.Node);
        }

        existing.RemoveAll(old => incoming.Any(write =>
            write.Kind == old.Kind && string.Equals(write.TaskId, old.TaskId, StringComparison.Ordinal)));
        existing.AddRange(incoming);
    }

    /// <summary>The rule for one write (no array for it).</summary>
    public static void Merge(List<PendingWrite> existing, PendingWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(write.TaskId);
        ArgumentNullException.ThrowIfNull(write.Node);
        existing.RemoveAll(old => write.Kind == old.Kind && string.Equals(write.TaskId, old.TaskId, StringComparison.Ordinal));
        existing.Add(write);
    }
}
