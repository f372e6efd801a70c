using System.Runtime.InteropServices;

namespace Graph.Engine.Checkpoints;

/// <summary>How a kept checkpoint and its pending writes are held.</summary>
public sealed partial class InMemoryCheckpointer
{
    /// <summary>
    /// One kept checkpoint, a record of 96 B in a slot of the store's <see cref="KeptLog"/> (not an object of its own), so
    /// a kept run costs the GC as few objects and bytes as possible: the thread id is the thread's key, what checkpoints
    /// have in common (state type, properties, the time's offset) is one <see cref="KeptShape"/> they share (the runs of
    /// one graph share one: the record keeps its generated run id's number), the metadata is unpacked (source, writers),
    /// the creation time is ticks, and a single pending write is held in fields of its own (its task by its index in the
    /// planned tasks when it is one of them). What repeats is shared, never copied: the runner's immutable task and
    /// writer lists, and a state, task list, writer list or shape equal to the previous checkpoint's. A
    /// <see cref="Checkpoint"/> is built only on read. Mutated only in its slot, through a reference, under the store's
    /// lock.
    /// </summary>
    private struct Kept
    {
        private KeptShape shape; // set by SetShape before the record is stored
        private object state; // the bytes, or the InlineValue that serializes stateBits
        private IReadOnlyList<PlannedTaskRecord> nextTasks;
        private IReadOnlyList<string> writers;

        // Pending writes: none (writes null); one by the task nextTasks[writeTask] (writes its payload's bytes, or the
        // InlineValue of writeBits; kind writeKind); one by another task (a PendingWrite); several (a list).
        private object? writes;
        private readonly long parentId;
        private readonly long createdTicks;
        private readonly long stateBits;
        private long writeBits;
        private long runNumber; // set by SetShape: the generated run id's number, or 0 (the shape holds the properties)
        private readonly int step;
        private short writeTask;
        private readonly byte source;
        private byte writeKind;

        /// <summary>
        /// Keeps the given buffers and lists as they are (owned by the store from now on, or immutable);
        /// <paramref name="state"/> is the state's bytes or the <see cref="InlineValue"/> of <paramref name="stateBits"/>.
        /// The state type, properties and planner state go to the record's shape (<see cref="SetShape"/>).
        /// </summary>
        public Kept(long id, long? parentId, int step, object state, long stateBits, IReadOnlyList<PlannedTaskRecord> nextTasks, CheckpointSource source, IReadOnlyList<string> writers, DateTimeOffset createdAt)
        {
            Id = id;
            this.parentId = parentId ?? 0;
            this.step = step;
            System.Diagnostics.Debug.Assert(state is byte[] or InlineValue, "A state is bytes or inline bits.");
            this.state = state;
            this.stateBits = stateBits;
            this.nextTasks = nextTasks.Count == 0 ? [] : nextTasks;
            this.source = (byte)source;
            this.writers = writers.Count == 0 ? [] : writers;
            createdTicks = createdAt.Ticks;
            shape = null!;
        }

        private Kept(int nextFree)
        {
            step = nextFree;
            shape = null!;
            state = null!;
            nextTasks = null!;
            writers = null!;
        }

        /// <summary>What a freed slot holds: no reference, and the next free slot (<see cref="NextFree"/>).</summary>
        public static Kept Freed(int nextFree) => new(nextFree);

        /// <summary>For a freed slot, the next free slot.</summary>
        public readonly int NextFree => step;

        public long Id { get; }

        /// <summary>The shape this record shares with the checkpoints before it.</summary>
        public readonly KeptShape Shape => shape;

        /// <summary>
        /// Keeps <paramref name="checkpoint"/>'s buffers and lists (the runner's own, see <see cref="IOwnedCheckpointSink"/>);
        /// only a state or planner state that is a slice of a larger buffer is copied.
        /// </summary>
        public static (Kept Kept, ShapeParts Shape) Owned(Checkpoint checkpoint) => (
            new Kept(
                checkpoint.Id, checkpoint.ParentId, checkpoint.Step, WholeArray(checkpoint.State), 0, checkpoint.NextTasks,
                checkpoint.Metadata.Source, checkpoint.Metadata.Writers, checkpoint.CreatedAt),
            new ShapeParts(checkpoint.StateType, checkpoint.Metadata.Properties, checkpoint.PlannerState.IsEmpty ? null : WholeArray(checkpoint.PlannerState), OffsetOf(checkpoint.CreatedAt)));

        /// <summary>
        /// A copy of <paramref name="checkpoint"/> that shares nothing its caller could change: buffers and lists copied
        /// (task records without a send argument are immutable and kept as they are).
        /// </summary>
        public static (Kept Kept, ShapeParts Shape) Copied(Checkpoint checkpoint)
        {
            var metadata = checkpoint.Metadata;
            return (
                new Kept(
                    checkpoint.Id, checkpoint.ParentId, checkpoint.Step, checkpoint.State.ToArray(), 0,
                    checkpoint.NextTasks.Count == 0 ? [] : CopyTasks(checkpoint.NextTasks), metadata.Source,
                    metadata.Writers.Count == 0 ? [] : metadata.Writers.ToArray(), checkpoint.CreatedAt),
                new ShapeParts(
                    checkpoint.StateType,
                    metadata.Properties.Count == 0 ? KeptShape.NoProperties : new Dictionary<string, string>(metadata.Properties, StringComparer.Ordinal),
                    checkpoint.PlannerState.IsEmpty ? null : checkpoint.PlannerState.ToArray(),
                    OffsetOf(checkpoint.CreatedAt)));
        }

        /// <summary>The offset of <paramref name="createdAt"/> as the shape keeps it (whole minutes, as a <see cref="DateTimeOffset"/> has).</summary>
        public static short OffsetOf(DateTimeOffset createdAt) => (short)createdAt.TotalOffsetMinutes;

        /// <summary>
        /// Gives the record its shape, <paramref name="previous"/> when it holds the same parts, and keeps the run's
        /// number when the shape holds only its graph's entries (<see cref="KeptShape.HasRunNumbers"/>).
        /// </summary>
        public void SetShape(KeptShape? previous, in ShapeParts parts)
        {
            shape = KeptShape.For(previous, parts);
            runNumber = shape.HasRunNumbers ? parts.RunNumber : 0;
        }

        /// <summary>
        /// Shares the state, task list and writer list of <paramref name="previous"/> (the checkpoint before this one)
        /// where they hold the same content, so what repeats from step to step is kept once. Called under the store's
        /// lock, on the record about to be stored.
        /// </summary>
        public void ShareWith(in Kept previous)
        {
            if (state is byte[] bytes && previous.state is byte[] before && !ReferenceEquals(bytes, before) && bytes.AsSpan().SequenceEqual(before))
            {
                state = before;
            }

            if (!ReferenceEquals(nextTasks, previous.nextTasks) && ContentEquality.Lists(nextTasks, previous.nextTasks))
            {
                nextTasks = previous.nextTasks;
            }

            if (!ReferenceEquals(writers, previous.writers) && ContentEquality.Lists(writers, previous.writers))
            {
                writers = previous.writers;
            }
        }

        /// <summary>Adds writes by the replace-per-task-and-kind rule of <see cref="ICheckpointer.PutWritesAsync"/>.</summary>
        public void Merge(PendingWrite[] incoming)
        {
            if (incoming.Length == 1)
            {
                Merge(incoming[0].TaskId, incoming[0].Node, incoming[0].Kind, WholeArray(incoming[0].Payload), 0);
            }
            else if (incoming.Length > 1)
            {
                PendingWrites.Merge(Several(incoming.Length), incoming);
            }
        }

        /// <summary>
        /// Adds one write (its payload kept as it is: bytes, or the <see cref="InlineValue"/> of <paramref name="bits"/>)
        /// by the replace-per-task-and-kind rule.
        /// </summary>
        public void Merge(string taskId, string node, PendingWriteKind kind, object payload, long bits)
        {
            if (writes is null || (writes is not List<PendingWrite> && SingleIs(taskId, kind)))
            {
                // A write by a task this checkpoint planned (the runner's case) names it by its index: two fields less.
                var planned = PlannedIndex(taskId, node);
                if (planned >= 0)
                {
                    (writeTask, writeKind, writes, writeBits) = (planned, (byte)kind, payload, bits);
                }
                else
                {
                    writes = new PendingWrite(taskId, node, kind, Bytes(payload, bits));
                }

                return;
            }

            PendingWrites.Merge(Several(1), new PendingWrite(taskId, node, kind, Bytes(payload, bits)));
        }

        /// <summary>The writes as a list, turning a single write into one.</summary>
        private List<PendingWrite> Several(int adding)
        {
            if (writes is List<PendingWrite> list)
            {
                return list;
            }

            list = new List<PendingWrite>(Math.Max(adding + 1, 2));
            if (writes is not null)
            {
                list.Add(SingleWrite());
            }

            writes = list;
            return list;
        }

        /// <summary>An independent copy (its own write list), for a thread copy.</summary>
        public readonly Kept Clone()
        {
            var copy = this;
            if (writes is List<PendingWrite> list)
            {
                copy.writes = new List<PendingWrite>(list);
            }

            return copy;
        }

        public readonly Checkpoint ToCheckpoint(string threadId) => new()
        {
            ThreadId = threadId,
            Id = Id,
            ParentId = ParentId,
            Step = step,
            StateType = shape.StateType,
            State = Bytes(state, stateBits),
            NextTasks = nextTasks,
            PlannerState = shape.Planner,
            PendingWrites = writes switch
            {
                null => [],
                List<PendingWrite> list => list.ToArray(),
                _ => [SingleWrite()],
            },
            Metadata = new CheckpointMetadata { Source = (CheckpointSource)source, Writers = writers, Properties = shape.PropertiesOf(runNumber) },
            CreatedAt = CreatedAt,
        };

        /// <summary>What retention decides by, without building the checkpoint.</summary>
        public readonly RetentionRow Row()
        {
            long size = Bytes(state, stateBits).Length + (shape.Planner?.Length ?? 0);
            foreach (var task in nextTasks)
            {
                size += task.SendArgument?.Length ?? 0;
            }

            switch (writes)
            {
                case null:
                    break;
                case PendingWrite write:
                    size += write.Payload.Length;
                    break;
                case List<PendingWrite> list:
                    foreach (var write in list)
                    {
                        size += write.Payload.Length;
                    }

                    break;
                default:
                    size += Bytes(writes, writeBits).Length;
                    break;
            }

            return new RetentionRow(Id, ParentId, CreatedAt, size);
        }

        public readonly long? ParentId => parentId == 0 ? null : parentId;

        private readonly DateTimeOffset CreatedAt => new(createdTicks, TimeSpan.FromMinutes(shape.OffsetMinutes));

        private static IReadOnlyList<PlannedTaskRecord> CopyTasks(IReadOnlyList<PlannedTaskRecord> tasks)
        {
            var copy = new PlannedTaskRecord[tasks.Count];
            for (var i = 0; i < copy.Length; i++)
            {
                var task = tasks[i];
                copy[i] = task.SendArgument is { } argument ? task with { SendArgument = argument.ToArray() } : task;
            }

            return copy;
        }

        /// <summary>The single pending write (writes is it, or its payload).</summary>
        private readonly PendingWrite SingleWrite() => writes as PendingWrite
            ?? new PendingWrite(nextTasks[writeTask].TaskId, nextTasks[writeTask].Node, (PendingWriteKind)writeKind, Bytes(writes!, writeBits));

        /// <summary>Whether the single pending write is by <paramref name="taskId"/> and of <paramref name="kind"/>.</summary>
        private readonly bool SingleIs(string taskId, PendingWriteKind kind) => writes is PendingWrite write
            ? write.Kind == kind && string.Equals(write.TaskId, taskId, StringComparison.Ordinal)
            : (PendingWriteKind)writeKind == kind && string.Equals(nextTasks[writeTask].TaskId, taskId, StringComparison.Ordinal);

        /// <summary>The index of the planned task <paramref name="taskId"/> of node <paramref name="node"/> in the task list, or -1.</summary>
        private readonly short PlannedIndex(string taskId, string node)
        {
            var count = Math.Min(nextTasks.Count, short.MaxValue);
            for (var i = 0; i < count; i++)
            {
                var task = nextTasks[i];
                if (string.Equals(task.TaskId, taskId, StringComparison.Ordinal) && string.Equals(task.Node, node, StringComparison.Ordinal))
                {
                    return (short)i;
                }
            }

            return -1;
        }

        /// <summary>The bytes of a kept value: <paramref name="value"/> itself, or what its <see cref="InlineValue"/> writes for <paramref name="bits"/>.</summary>
        private static byte[] Bytes(object value, long bits) => value as byte[] ?? ((InlineValue)value).ToBytes(bits);

        /// <summary>The array behind <paramref name="bytes"/> when they are all of it, else a copy.</summary>
        public static byte[] WholeArray(ReadOnlyMemory<byte> bytes) =>
            MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
                ? segment.Array
                : bytes.ToArray();
    }
}
