using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Graph.Engine.Checkpoints.Storage;

/// <summary>
/// The byte form in which <see cref="InMemoryCheckpointer"/> keeps a checkpoint (without its thread, id and pending
/// writes, which the store holds beside it) and a pending write. Lossless: decoding gives back a checkpoint equal to
/// the one encoded, with its own buffers.
/// </summary>
/// <remarks>
/// A checkpoint record is its parent, step, creation time, state type, state, planner state, planned tasks, source
/// and writers, then its properties last (so the store can share equal properties between records). A write is a
/// 4-byte body length followed by its kind, task id, node and payload.
/// </remarks>
internal static class ArenaCodec
{
    /// <summary>Bytes before a write's body: its length.</summary>
    public const int WriteLengthSize = 4;

    /// <summary>Appends the record of <paramref name="checkpoint"/>; returns where its properties section starts.</summary>
    public static int EncodeCheckpoint(ArrayBufferWriter<byte> destination, Checkpoint checkpoint)
    {
        var start = destination.WrittenCount;
        WriteVar(destination, checkpoint.ParentId is { } parent ? (ulong)parent + 1 : 0);
        WriteVar(destination, ZigZag(checkpoint.Step));
        var created = checkpoint.CreatedAt;
        BinaryPrimitives.WriteInt64LittleEndian(destination.GetSpan(8), created.Ticks);
        destination.Advance(8);
        WriteVar(destination, ZigZag((int)created.Offset.TotalMinutes));
        WriteString(destination, checkpoint.StateType);
        WriteBytes(destination, checkpoint.State.Span);
        WriteBytes(destination, checkpoint.PlannerState.Span);
        var tasks = checkpoint.NextTasks;
        WriteVar(destination, (ulong)tasks.Count);
        for (var i = 0; i < tasks.Count; i++)
        {
            var task = tasks[i];
            ArgumentNullException.ThrowIfNull(task);
            WriteString(destination, task.TaskId);
            WriteString(destination, task.Node);
            if (task.SendArgument is { } argument)
            {
                WriteVar(destination, 1);
                WriteBytes(destination, argument.Span);
            }
            else
            {
                WriteVar(destination, 0);
            }
        }

        var metadata = checkpoint.Metadata;
        WriteVar(destination, (ulong)metadata.Source);
        WriteVar(destination, (ulong)metadata.Writers.Count);
        for (var i = 0; i < metadata.Writers.Count; i++)
        {
            WriteString(destination, metadata.Writers[i]);
        }

        var properties = destination.WrittenCount - start;
        WriteVar(destination, (ulong)metadata.Properties.Count);
        foreach (var (key, value) in metadata.Properties)
        {
            WriteString(destination, key);
            WriteString(destination, value);
        }

        return properties;
    }

    /// <summary>
    /// Decodes a checkpoint record whose properties section is <paramref name="properties"/> (read from the record
    /// itself or from an earlier record that has the same ones).
    /// </summary>
    public static Checkpoint DecodeCheckpoint(string threadId, long id, ReadOnlySpan<byte> record, ReadOnlySpan<byte> properties, IReadOnlyList<PendingWrite> writes)
    {
        var reader = new Reader(record);
        var parent = reader.ReadVar();
        var step = UnZigZag(reader.ReadVar());
        var ticks = reader.ReadInt64();
        var offset = TimeSpan.FromMinutes(UnZigZag(reader.ReadVar()));
        var stateType = reader.ReadString();
        var state = reader.ReadBytes();
        var planner = reader.ReadBytes();
        var tasks = new PlannedTaskRecord[(int)reader.ReadVar()];
        for (var i = 0; i < tasks.Length; i++)
        {
            var taskId = reader.ReadString();
            var node = reader.ReadString();
            tasks[i] = reader.ReadVar() == 0
                ? new PlannedTaskRecord(taskId, node)
                : new PlannedTaskRecord(taskId, node, reader.ReadBytes());
        }

        var source = (CheckpointSource)reader.ReadVar();
        var writers = new string[(int)reader.ReadVar()];
        for (var i = 0; i < writers.Length; i++)
        {
            writers[i] = reader.ReadString();
        }

        return new Checkpoint
        {
            ThreadId = threadId,
            Id = id,
            ParentId = parent == 0 ? null : (long)(parent - 1),
            Step = step,
            StateType = stateType,
            State = state,
            PlannerState = planner,
            NextTasks = tasks,
            PendingWrites = writes,
            Metadata = new CheckpointMetadata { Source = source, Writers = writers, Properties = DecodeProperties(properties) },
            CreatedAt = new DateTimeOffset(ticks, offset),
        };
    }

    /// <summary>Appends one write: its body length, then the body.</summary>
    public static void EncodeWrite(ArrayBufferWriter<byte> destination, PendingWrite write)
    {
        var start = destination.WrittenCount;
        destination.Advance(WriteLengthSize);
        WriteVar(destination, (ulong)write.Kind);
        WriteString(destination, write.TaskId);
        WriteString(destination, write.Node);
        WriteBytes(destination, write.Payload.Span);
        var written = MemoryMarshal.AsMemory(destination.WrittenMemory).Span;
        BinaryPrimitives.WriteInt32LittleEndian(written[start..], written.Length - start - WriteLengthSize);
    }

    /// <summary>The length of the write body that <paramref name="encoded"/> starts with.</summary>
    public static int WriteBodyLength(ReadOnlySpan<byte> encoded) => BinaryPrimitives.ReadInt32LittleEndian(encoded);

    /// <summary>Decodes a write body (without its length).</summary>
    public static PendingWrite DecodeWrite(ReadOnlySpan<byte> body, out PendingWriteKind kind, out string taskId)
    {
        var reader = new Reader(body);
        kind = (PendingWriteKind)reader.ReadVar();
        taskId = reader.ReadString();
        var node = reader.ReadString();
        return new PendingWrite(taskId, node, kind, reader.ReadBytes());
    }

    private static IReadOnlyDictionary<string, string> DecodeProperties(ReadOnlySpan<byte> section)
    {
        var reader = new Reader(section);
        var count = (int)reader.ReadVar();
        if (count == 0)
        {
            return System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;
        }

        var properties = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadString();
            properties[key] = reader.ReadString();
        }

        return properties;
    }

    private static ulong ZigZag(int value) => (ulong)(uint)((value << 1) ^ (value >> 31));

    private static int UnZigZag(ulong value) => (int)((uint)value >> 1) ^ -(int)((uint)value & 1);

    private static void WriteVar(ArrayBufferWriter<byte> destination, ulong value)
    {
        var span = destination.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        destination.Advance(i);
    }

    private static void WriteBytes(ArrayBufferWriter<byte> destination, ReadOnlySpan<byte> bytes)
    {
        WriteVar(destination, (ulong)bytes.Length);
        destination.Write(bytes);
    }

    private static void WriteString(ArrayBufferWriter<byte> destination, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVar(destination, (ulong)length);
        destination.Advance(Encoding.UTF8.GetBytes(value, destination.GetSpan(length)));
    }

    /// <summary>Reads what the writers above wrote; every buffer it returns is a copy.</summary>
    private ref struct Reader(ReadOnlySpan<byte> span)
    {
        private readonly ReadOnlySpan<byte> span = span;
        private int position;

        public ulong ReadVar()
        {
            ulong value = 0;
            var shift = 0;
            byte current;
            do
            {
                current = span[position++];
                value |= (ulong)(current & 0x7F) << shift;
                shift += 7;
            }
            while (current >= 0x80);

            return value;
        }

        public long ReadInt64()
        {
            var value = BinaryPrimitives.ReadInt64LittleEndian(span[position..]);
            position += 8;
            return value;
        }

        public string ReadString()
        {
            var length = (int)ReadVar();
            var value = Encoding.UTF8.GetString(span.Slice(position, length));
            position += length;
            return value;
        }

        public byte[] ReadBytes()
        {
            var length = (int)ReadVar();
            var value = span.Slice(position, length).ToArray();
            position += length;
            return value;
        }
    }
}
