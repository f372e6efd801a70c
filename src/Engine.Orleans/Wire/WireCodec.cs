using System.Buffers;
using System.Reflection;
using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;

namespace Graph.Engine.Orleans.Wire;

/// <summary>Converts states, snapshots, results and values to and from their wire form with a graph's serializer.</summary>
internal sealed class WireCodec(ICheckpointSerializer serializer)
{
    private static readonly MethodInfo SerializeMethod = typeof(ICheckpointSerializer).GetMethod(nameof(ICheckpointSerializer.Serialize))!;
    private static readonly MethodInfo DeserializeMethod = typeof(WireCodec).GetMethod(nameof(DeserializeBytes), BindingFlags.NonPublic | BindingFlags.Instance)!;

    public byte[] Encode<T>(T value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        serializer.Serialize(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }

    public T Decode<T>(byte[] bytes) => serializer.Deserialize<T>(bytes);

    public WireValue EncodeValue(object? value)
    {
        if (value is null)
        {
            return new WireValue();
        }

        var type = value.GetType();
        var buffer = new ArrayBufferWriter<byte>();
        SerializeMethod.MakeGenericMethod(type).Invoke(serializer, [buffer, value]);
        return new WireValue { Type = type.AssemblyQualifiedName, Bytes = buffer.WrittenSpan.ToArray() };
    }

    /// <summary>Decodes a value as its own type when that type loads here, else as a JSON element.</summary>
    public object? DecodeValue(WireValue value)
    {
        if (value.Type is null)
        {
            return null;
        }

        var type = Type.GetType(value.Type, throwOnError: false) ?? typeof(System.Text.Json.JsonElement);
        try
        {
            return DeserializeMethod.MakeGenericMethod(type).Invoke(this, [value.Bytes]);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    public WireInterrupt[] Encode(IReadOnlyList<GraphInterrupt> interrupts) =>
        [.. interrupts.Select(i => new WireInterrupt { Id = i.Id, Node = i.Node, TaskId = i.TaskId, Kind = (int)i.Kind, Value = EncodeValue(i.Value) })];

    public GraphInterrupt[] Decode(WireInterrupt[] interrupts) =>
        [.. interrupts.Select(i => new GraphInterrupt(i.Id, i.Node, i.TaskId, (InterruptKind)i.Kind, DecodeValue(i.Value)))];

    public WireRunResult Encode<TState>(GraphRunResult<TState> result) => new()
    {
        Interrupted = result.IsInterrupted,
        State = Encode(result.State),
        Interrupts = Encode(result.Interrupts),
        ThreadId = result.ThreadId,
        CheckpointId = result.CheckpointId,
    };

    public GraphRunResult<TState> Decode<TState>(WireRunResult result) => new(
        result.Interrupted ? GraphRunStatus.Interrupted : GraphRunStatus.Completed,
        Decode<TState>(result.State),
        Decode(result.Interrupts),
        result.ThreadId,
        result.CheckpointId);

    public WireSnapshot Encode<TState>(StateSnapshot<TState> snapshot) => new()
    {
        ThreadId = snapshot.ThreadId,
        CheckpointId = snapshot.CheckpointId,
        ParentCheckpointId = snapshot.ParentCheckpointId,
        Step = snapshot.Step,
        State = Encode(snapshot.Values),
        Next = [.. snapshot.Next],
        CompletedTasks = [.. snapshot.CompletedTasks],
        Interrupts = Encode(snapshot.Interrupts),
        Source = (int)snapshot.Metadata.Source,
        Writers = [.. snapshot.Metadata.Writers],
        Properties = new Dictionary<string, string>(snapshot.Metadata.Properties, StringComparer.Ordinal),
        CreatedAt = snapshot.CreatedAt,
        Errors = [.. snapshot.Errors.Select(e => new WireTaskError { TaskId = e.TaskId, Node = e.Node, Error = e.Error })],
    };

    public StateSnapshot<TState> Decode<TState>(WireSnapshot snapshot) => new(
        snapshot.ThreadId,
        snapshot.CheckpointId,
        snapshot.ParentCheckpointId,
        snapshot.Step,
        Decode<TState>(snapshot.State),
        snapshot.Next,
        snapshot.CompletedTasks,
        Decode(snapshot.Interrupts),
        new CheckpointMetadata { Source = (CheckpointSource)snapshot.Source, Writers = snapshot.Writers, Properties = snapshot.Properties },
        snapshot.CreatedAt)
    {
        Errors = [.. snapshot.Errors.Select(e => new TaskError(e.TaskId, e.Node, e.Error))],
    };

    private object? DeserializeBytes<T>(byte[] bytes) => serializer.Deserialize<T>(bytes);
}
