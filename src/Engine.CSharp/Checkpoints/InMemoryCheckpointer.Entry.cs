namespace Graph.Engine.Checkpoints;

/// <summary>How a kept checkpoint and its pending writes are held.</summary>
public sealed partial class InMemoryCheckpointer
{
    /// <summary>
    /// One checkpoint and its pending writes: none (null), one (the write itself) or several (a list). A struct in
    /// the thread's list, so a kept checkpoint costs the GC as few objects as possible.
    /// </summary>
    private struct Entry(Checkpoint checkpoint)
    {
        private object? writes;

        public readonly Checkpoint Checkpoint { get; } = checkpoint;

        public readonly bool HasWrites => writes is not null;

        public void Merge(PendingWrite[] incoming)
        {
            if (incoming.Length == 0)
            {
                return;
            }

            if (writes is null && incoming.Length == 1)
            {
                writes = incoming[0];
                return;
            }

            if (writes is PendingWrite single)
            {
                writes = new List<PendingWrite>(Math.Max(incoming.Length + 1, 2)) { single };
            }

            var list = (List<PendingWrite>)(writes ??= new List<PendingWrite>(incoming.Length));
            if (list.Count > 0)
            {
                PendingWrites.Merge(list, incoming);
            }
            else
            {
                list.AddRange(incoming);
            }
        }

        public readonly Entry CopyTo(string threadId)
        {
            var clone = new Entry(Checkpoint with { ThreadId = threadId });
            clone.writes = writes is List<PendingWrite> list ? new List<PendingWrite>(list) : writes;
            return clone;
        }

        public readonly Checkpoint ToCheckpoint() => writes switch
        {
            null => Checkpoint,
            PendingWrite single => Checkpoint with { PendingWrites = [single] },
            _ => Checkpoint with { PendingWrites = ((List<PendingWrite>)writes).ToArray() },
        };
    }
}
