using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>
/// The runner's private encodings inside checkpoints: task results (update and command goto), interrupts, errors
/// and planner state. Values of user types go through the <see cref="ICheckpointSerializer"/>; the envelopes around
/// them are a small versioned binary format, so any serializer works.
/// </summary>
internal static class CheckpointCodec
{
    private const byte Version = 1;
    private const byte HasUpdateFlag = 1;
    private const byte IsCommandFlag = 2;

    private static readonly ConcurrentDictionary<Type, (Func<ICheckpointSerializer, object?, byte[]> Write, Func<ICheckpointSerializer, ReadOnlyMemory<byte>, object?> Read)> Codecs = new();

    public static byte[] SerializeObject(ICheckpointSerializer serializer, Type type, object? value) => CodecOf(type).Write(serializer, value);

    public static object? DeserializeObject(ICheckpointSerializer serializer, Type type, ReadOnlyMemory<byte> bytes) => CodecOf(type).Read(serializer, bytes);

    /// <summary>
    /// The encoding of a result without a command: [version, flags, (int32 length, update)], written straight into the
    /// scratch buffer.
    /// </summary>
    public static byte[] EncodeUpdate<TUpdate>(ICheckpointSerializer serializer, bool hasUpdate, TUpdate update)
    {
        var buffer = CheckpointBuffers.Rent();
        try
        {
            var head = buffer.GetSpan(6);
            head[0] = Version;
            head[1] = hasUpdate ? HasUpdateFlag : (byte)0;
            if (!hasUpdate)
            {
                buffer.Advance(2);
                return buffer.WrittenSpan.ToArray();
            }

            buffer.Advance(6);
            serializer.Serialize(buffer, update);
            var bytes = buffer.WrittenSpan.ToArray();
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), bytes.Length - 6);
            return bytes;
        }
        finally
        {
            CheckpointBuffers.Return(buffer);
        }
    }

    public static byte[] EncodeResult<TState, TUpdate>(ICheckpointSerializer serializer, GraphModel<TState, TUpdate> model, in NodeResult<TUpdate> result)
    {
        if (result.Command is null)
        {
            return EncodeUpdate(serializer, result.HasUpdate, result.Update);
        }

        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream, Encoding.UTF8);
        w.Write(Version);
        var command = result.Command;
        w.Write((byte)((result.HasUpdate ? HasUpdateFlag : 0) | (command is not null ? IsCommandFlag : 0)));
        if (result.HasUpdate)
        {
            WriteBytes(w, serializer.Serialize(result.Update));
        }

        if (command is not null)
        {
            var targets = command.Goto.Targets;
            w.Write(targets.Count);
            foreach (var t in targets)
            {
                w.Write(t);
            }

            var sends = command.Goto.SendList;
            w.Write(sends.Count);
            foreach (var send in sends)
            {
                w.Write(send.Node);
                var type = model.Find(send.Node)?.SendType ?? send.Argument?.GetType() ?? typeof(object);
                WriteBytes(w, SerializeObject(serializer, type, send.Argument));
            }
        }

        w.Flush();
        return stream.ToArray();
    }

    public static NodeResult<TUpdate> DecodeResult<TState, TUpdate>(ICheckpointSerializer serializer, GraphModel<TState, TUpdate> model, ReadOnlyMemory<byte> payload)
    {
        using var r = Reader(payload, "task result");
        var flags = r.ReadByte();
        var hasUpdate = (flags & HasUpdateFlag) != 0;
        var update = hasUpdate ? serializer.Deserialize<TUpdate>(ReadBytes(r)) : default!;
        if ((flags & IsCommandFlag) == 0)
        {
            return hasUpdate ? NodeResult<TUpdate>.FromUpdate(update) : NodeResult<TUpdate>.None;
        }

        var targets = new string[r.ReadInt32()];
        for (var i = 0; i < targets.Length; i++)
        {
            targets[i] = r.ReadString();
        }

        var sends = new Send[r.ReadInt32()];
        for (var i = 0; i < sends.Length; i++)
        {
            var node = r.ReadString();
            var bytes = ReadBytes(r);
            var type = model.Find(node)?.SendType
                ?? throw new CheckpointStoreException($"A recorded command sends to '{node}', which is not a node of this graph.");
            sends[i] = new Send(node, DeserializeObject(serializer, type, bytes));
        }

        var route = (targets.Length > 0 ? Route.To(targets) : default).And(sends.Length > 0 ? Route.Sends(sends) : default);
        return hasUpdate ? new Command<TUpdate>(update, route) : Command<TUpdate>.GotoOnly(route);
    }

    public static byte[] EncodeInterrupt(ICheckpointSerializer serializer, GraphInterrupt interrupt, IReadOnlyList<object?> earlierValues)
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream, Encoding.UTF8);
        w.Write(Version);
        w.Write(interrupt.Id);
        WriteValue(w, serializer, interrupt.Value);
        w.Write(earlierValues.Count);
        foreach (var v in earlierValues)
        {
            WriteValue(w, serializer, v);
        }

        w.Flush();
        return stream.ToArray();
    }

    public static (GraphInterrupt Interrupt, IReadOnlyList<object?> EarlierValues) DecodeInterrupt(ICheckpointSerializer serializer, PendingWrite write)
    {
        using var r = Reader(write.Payload, "interrupt");
        var id = r.ReadString();
        var value = ReadValue(r, serializer);
        var earlier = new object?[r.ReadInt32()];
        for (var i = 0; i < earlier.Length; i++)
        {
            earlier[i] = ReadValue(r, serializer);
        }

        return (new GraphInterrupt(id, write.Node, write.TaskId, value is DurableTimer ? InterruptKind.Timer : InterruptKind.Dynamic, value), earlier);
    }

    public static byte[] EncodeError(Exception error) =>
        Encoding.UTF8.GetBytes($"{(error is NodeFailedException { InnerException: { } inner } ? inner : error).GetType().FullName}: {error.Message}");

    public static byte[] EncodePlanner(PlannerState planner)
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream, Encoding.UTF8);
        w.Write(Version);
        w.Write(planner.Step);
        w.Write(planner.Joins.Count);
        foreach (var join in planner.Joins)
        {
            w.Write(join.Target);
            WriteStrings(w, join.Sources);
            WriteStrings(w, join.Finished);
        }

        w.Flush();
        return stream.ToArray();
    }

    public static PlannerState DecodePlanner(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return new PlannerState(0, []);
        }

        using var r = Reader(bytes, "planner state");
        var step = r.ReadInt32();
        var joins = new JoinProgress[r.ReadInt32()];
        for (var i = 0; i < joins.Length; i++)
        {
            joins[i] = new JoinProgress(r.ReadString(), ReadStrings(r), ReadStrings(r));
        }

        return new PlannerState(step, joins);
    }

    private static void WriteValue(BinaryWriter w, ICheckpointSerializer serializer, object? value)
    {
        if (value is null)
        {
            w.Write(string.Empty);
            return;
        }

        var type = value.GetType();
        CheckpointTypes.Register(type);
        w.Write(CheckpointTypes.NameOf(type));
        WriteBytes(w, SerializeObject(serializer, type, value));
    }

    private static object? ReadValue(BinaryReader r, ICheckpointSerializer serializer)
    {
        var typeName = r.ReadString();
        if (typeName.Length == 0)
        {
            return null;
        }

        var bytes = ReadBytes(r);
        var type = CheckpointTypes.Resolve(typeName, "interrupt or resume value");
        return DeserializeObject(serializer, type, bytes);
    }

    private static void WriteStrings(BinaryWriter w, IReadOnlyList<string> values)
    {
        w.Write(values.Count);
        foreach (var v in values)
        {
            w.Write(v);
        }
    }

    private static string[] ReadStrings(BinaryReader r)
    {
        var values = new string[r.ReadInt32()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = r.ReadString();
        }

        return values;
    }

    private static void WriteBytes(BinaryWriter w, byte[] bytes)
    {
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static byte[] ReadBytes(BinaryReader r)
    {
        var length = r.ReadInt32();
        var bytes = r.ReadBytes(length);
        if (bytes.Length != length)
        {
            throw new EndOfStreamException();
        }

        return bytes;
    }

    private static BinaryReader Reader(ReadOnlyMemory<byte> bytes, string what)
    {
        var r = new BinaryReader(new MemoryStream(bytes.ToArray(), writable: false), Encoding.UTF8);
        var version = bytes.IsEmpty ? (byte)0 : r.ReadByte();
        if (version != Version)
        {
            r.Dispose();
            throw new CheckpointStoreException($"A recorded {what} has encoding version {version}; this runner reads version {Version}.");
        }

        return r;
    }

    private static (Func<ICheckpointSerializer, object?, byte[]> Write, Func<ICheckpointSerializer, ReadOnlyMemory<byte>, object?> Read) CodecOf(Type type) =>
        Codecs.GetOrAdd(type, static t =>
        {
            var write = typeof(CheckpointCodec).GetMethod(nameof(WriteTyped), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(t);
            var read = typeof(CheckpointCodec).GetMethod(nameof(ReadTyped), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(t);
            return (write.CreateDelegate<Func<ICheckpointSerializer, object?, byte[]>>(), read.CreateDelegate<Func<ICheckpointSerializer, ReadOnlyMemory<byte>, object?>>());
        });

    private static byte[] WriteTyped<T>(ICheckpointSerializer serializer, object? value) => CheckpointBuffers.Serialize(serializer, (T)value!);

    private static object? ReadTyped<T>(ICheckpointSerializer serializer, ReadOnlyMemory<byte> bytes) => serializer.Deserialize<T>(bytes.Span);
}
