namespace Graph.Engine.Checkpoints;

/// <summary>
/// The fields of a checkpoint the runner saves after a step, before any <see cref="Checkpoint"/> is built: a store
/// that keeps them in its own form (<see cref="IStepCheckpointSink"/>) is handed them as they are, any other store
/// gets <see cref="ToCheckpoint"/>. A state of a type <see cref="InlineBits{T}"/> supports may come as bits instead of
/// bytes, for the in-memory store only. The buffers are fresh and the lists immutable or fresh, never touched again by
/// the runner (the terms of <see cref="IOwnedCheckpointSink"/>).
/// </summary>
internal readonly struct StepCheckpoint
{
    public required string ThreadId { get; init; }

    public required long Id { get; init; }

    public required long? ParentId { get; init; }

    public required int Step { get; init; }

    public required string StateType { get; init; }

    /// <summary>The serialized state, or null when the state is kept inline (<see cref="InlineState"/>).</summary>
    public required byte[]? State { get; init; }

    /// <summary>For a store that keeps values inline: how to serialize <see cref="StateBits"/> when read; else null.</summary>
    public InlineValue? InlineState { get; init; }

    /// <summary>The state's bits (<see cref="InlineBits{T}"/>) when <see cref="InlineState"/> is set.</summary>
    public long StateBits { get; init; }

    public required IReadOnlyList<PlannedTaskRecord> NextTasks { get; init; }

    public required ReadOnlyMemory<byte> PlannerState { get; init; }

    public required CheckpointSource Source { get; init; }

    public required IReadOnlyList<string> Writers { get; init; }

    public required IReadOnlyDictionary<string, string> Properties { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public Checkpoint ToCheckpoint() => new()
    {
        ThreadId = ThreadId,
        Id = Id,
        ParentId = ParentId,
        Step = Step,
        StateType = StateType,
        State = State ?? InlineState!.ToBytes(StateBits),
        NextTasks = NextTasks,
        PlannerState = PlannerState,
        Metadata = new CheckpointMetadata { Source = Source, Writers = Writers, Properties = Properties },
        CreatedAt = CreatedAt,
    };
}
