using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Graph.Engine.Checkpoints;

/// <summary>
/// A snapshot of one thread of a graph after a superstep: the serialized state, the tasks planned next,
/// the planner's opaque progress and the writes of tasks that already finished in the next step.
/// Immutable; a store copies what it keeps.
/// </summary>
/// <remarks>
/// <para>
/// Ids are assigned by the caller and validated by the store: within a thread they are positive and
/// strictly increasing in put order (the first checkpoint of a thread is usually 1, the next one the
/// thread's latest id + 1, a fork too), and a <see cref="ParentId"/> is always smaller than
/// <see cref="Id"/>. Because the caller knows the id before the put completes, it can start the next
/// step (and record pending writes against it) while the put is still being written.
/// </para>
/// <para>Equality compares content: bytes, lists and metadata, not references.</para>
/// </remarks>
[DebuggerDisplay("{ThreadId}#{Id} step {Step} ({StateType}, {State.Length} bytes)")]
public sealed partial record Checkpoint
{
    /// <summary>The thread (conversation, run history) the checkpoint belongs to.</summary>
    public required string ThreadId { get; init; }

    /// <summary>The checkpoint's id: positive, strictly increasing within the thread.</summary>
    public required long Id { get; init; }

    /// <summary>The checkpoint this one follows (smaller than <see cref="Id"/>), or <see langword="null"/> for the first of a history.</summary>
    /// <value>May name a checkpoint that pruning removed: history then starts at this checkpoint.</value>
    public long? ParentId { get; init; }

    /// <summary>The superstep number (-1 for the input checkpoint, as LangGraph counts).</summary>
    public required int Step { get; init; }

    /// <summary>The name of the state type, as given by <see cref="StateTypeNameOf"/>; checked when the state is read.</summary>
    public required string StateType { get; init; }

    /// <summary>The serialized state.</summary>
    public ReadOnlyMemory<byte> State { get; init; }

    /// <summary>The tasks planned for the next step.</summary>
    /// <value>Empty by default (no task planned: the run ended or is interrupted before any).</value>
    public IReadOnlyList<PlannedTaskRecord> NextTasks { get; init; } = [];

    /// <summary>
    /// Writes of tasks of the next step that already finished, interrupted or failed, in the order they were
    /// recorded. Filled by the store when reading; normally empty when putting.
    /// </summary>
    /// <value>Empty by default.</value>
    public IReadOnlyList<PendingWrite> PendingWrites { get; init; } = [];

    /// <summary>The planner's own progress (join counters and the like), opaque to the store.</summary>
    public ReadOnlyMemory<byte> PlannerState { get; init; }

    /// <summary>Why and by whom the checkpoint was written.</summary>
    public required CheckpointMetadata Metadata { get; init; }

    /// <summary>When the checkpoint was created (taken from the runner's <see cref="TimeProvider"/>).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// The name recorded for a state type: the full name without assembly versions, generic arguments
    /// spelled out (<c>System.Collections.Generic.List&lt;System.Int32&gt;</c>), stable across builds.
    /// </summary>
    /// <param name="type">The state type.</param>
    /// <returns>The name to store in <see cref="StateType"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="type"/> is null.</exception>
    public static string StateTypeNameOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var builder = new StringBuilder();
        AppendName(builder, type);
        return builder.ToString();
    }

    /// <summary>Deserializes the state after checking that it was stored as <typeparamref name="TState"/>.</summary>
    /// <typeparam name="TState">The state type the caller expects.</typeparam>
    /// <param name="serializer">The serializer the state was written with.</param>
    /// <returns>The state.</returns>
    /// <exception cref="CheckpointStoreException">
    /// The checkpoint holds another state type (the message names both), or the bytes cannot be read as <typeparamref name="TState"/>.
    /// </exception>
    public TState ReadState<TState>(ICheckpointSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        var expected = StateTypeName<TState>.Value;
        if (!string.Equals(expected, StateType, StringComparison.Ordinal))
        {
            throw new CheckpointStoreException(
                $"Checkpoint {Id} of thread '{ThreadId}' holds state of type '{StateType}', but it was read as '{expected}'.");
        }

        return serializer.Deserialize<TState>(State.Span);
    }

    /// <summary>Compares every field by content.</summary>
    /// <param name="other">The checkpoint to compare with.</param>
    /// <returns><see langword="true"/> when both hold the same content.</returns>
    public bool Equals(Checkpoint? other) =>
        other is not null
        && string.Equals(ThreadId, other.ThreadId, StringComparison.Ordinal)
        && Id == other.Id
        && ParentId == other.ParentId
        && Step == other.Step
        && string.Equals(StateType, other.StateType, StringComparison.Ordinal)
        && ContentEquality.Bytes(State, other.State)
        && ContentEquality.Lists(NextTasks, other.NextTasks)
        && ContentEquality.Lists(PendingWrites, other.PendingWrites)
        && ContentEquality.Bytes(PlannerState, other.PlannerState)
        && Metadata.Equals(other.Metadata)
        && CreatedAt.Equals(other.CreatedAt)
        && CreatedAt.Offset == other.CreatedAt.Offset;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ThreadId, Id, Step, ContentEquality.Hash(State));

    /// <summary>Checks what every store requires of a checkpoint it is asked to put.</summary>
    internal static void Validate(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ValidateIds(checkpoint.ThreadId, checkpoint.Id, checkpoint.ParentId, nameof(checkpoint));
        ArgumentNullException.ThrowIfNull(checkpoint.StateType);
        ArgumentNullException.ThrowIfNull(checkpoint.Metadata);
        ArgumentNullException.ThrowIfNull(checkpoint.NextTasks);
        ArgumentNullException.ThrowIfNull(checkpoint.PendingWrites);
    }

    /// <summary>A copy that shares no buffer or collection with this one, for stores that keep what they are given.</summary>
    internal Checkpoint Detach() => this with
    {
        State = State.ToArray(),
        PlannerState = PlannerState.ToArray(),
        NextTasks = NextTasks.Select(task => task with { SendArgument = task.SendArgument is { } argument ? new ReadOnlyMemory<byte>(argument.ToArray()) : (ReadOnlyMemory<byte>?)null }).ToArray(),
        PendingWrites = Detach(PendingWrites),
        Metadata = Metadata with
        {
            Writers = Metadata.Writers.ToArray(),
            // Properties with shared entries are immutable (ISharedEntries) and stay as they are, so stores still see what they share.
            Properties = Metadata.Properties is ISharedEntries ? Metadata.Properties : new Dictionary<string, string>(Metadata.Properties, StringComparer.Ordinal),
        },
    };

    /// <summary>Copies of the writes that share no buffer with them.</summary>
    internal static PendingWrite[] Detach(IReadOnlyList<PendingWrite> writes) =>
        writes.Select(write => write with { Payload = write.Payload.ToArray() }).ToArray();

    /// <summary>Checks a checkpoint's thread id, id and parent id (see <see cref="Validate"/>).</summary>
    internal static void ValidateIds(string threadId, long id, long? parentId, string parameterName)
    {
        ValidateThreadId(threadId);
        if (id <= 0)
        {
            throw new ArgumentException($"Checkpoint ids must be positive; thread '{threadId}' got {id}.", parameterName);
        }

        if (parentId is { } parent && (parent <= 0 || parent >= id))
        {
            throw new ArgumentException(
                $"Checkpoint {id} of thread '{threadId}' names parent {parent}; a parent id must be positive and smaller than the id.",
                parameterName);
        }
    }

    internal static void ValidateThreadId(string threadId, string? parameterName = "threadId")
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId, parameterName);
    }

    internal static CheckpointStoreException OutOfOrder(Checkpoint checkpoint, long latest) => OutOfOrder(checkpoint.ThreadId, checkpoint.Id, latest);

    internal static CheckpointStoreException OutOfOrder(string threadId, long id, long latest) =>
        new($"Checkpoint {id} of thread '{threadId}' is not newer than the thread's latest checkpoint {latest}; ids must increase.");

    internal static CheckpointStoreException MissingParent(Checkpoint checkpoint) => MissingParent(checkpoint.ThreadId, checkpoint.Id, checkpoint.ParentId);

    internal static CheckpointStoreException MissingParent(string threadId, long id, long? parentId) =>
        new($"Checkpoint {id} of thread '{threadId}' names parent {parentId}, which the thread does not hold (an earlier put failed or was lost); refused, so the history stays one chain and the thread resumes from its latest checkpoint.");

    internal static CheckpointStoreException UnknownCheckpoint(string threadId, long checkpointId) =>
        new($"Thread '{threadId}' has no checkpoint {checkpointId} to record pending writes against.");

    private static void AppendName(StringBuilder builder, Type type)
    {
        if (type.IsArray)
        {
            AppendName(builder, type.GetElementType()!);
            builder.Append('[').Append(',', type.GetArrayRank() - 1).Append(']');
            return;
        }

        if (!type.IsGenericType)
        {
            builder.Append(type.FullName ?? type.Name);
            return;
        }

        var definition = type.GetGenericTypeDefinition();
        var name = definition.FullName ?? definition.Name;
        builder.Append(GenericArity().Replace(name, string.Empty)).Append('<');
        var arguments = type.GetGenericArguments();
        for (var i = 0; i < arguments.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            AppendName(builder, arguments[i]);
        }

        builder.Append('>');
    }

    [GeneratedRegex("`[0-9]+")]
    private static partial Regex GenericArity();
}
