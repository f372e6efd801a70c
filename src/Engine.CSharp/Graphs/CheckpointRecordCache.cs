using System.Collections.Concurrent;
using System.Collections.Immutable;
using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>
/// Immutable pieces of checkpoint records that repeat across steps and runs of one compiled graph, built once and
/// shared by every checkpoint that needs them: the planned-task record of a state task at (step, index, node) with
/// its one-element task list, the one-element writer list of each node, and the metadata properties every run
/// records (the fingerprint). Stores may keep them as they are (they are immutable), so a chain step allocates no
/// task id, record or list.
/// </summary>
internal sealed class CheckpointRecordCache
{
    /// <summary>Bound on cached task records (steps x positions actually seen); beyond it records are built per use.</summary>
    private const int MaxTasks = 4096;

    private readonly ConcurrentDictionary<long, CachedTask> tasks = new();
    private readonly IReadOnlyList<string>?[] writers;
    private KeyValuePair<string, string>[]? sharedProperties;
    private InlineValue? inlineState;
    private InlineValue? inlineUpdate;

    public CheckpointRecordCache(int nodeCount)
    {
        writers = new IReadOnlyList<string>?[nodeCount];
    }

    /// <summary>The compiled graph's fingerprint, recorded in the metadata of its checkpoints.</summary>
    public GraphFingerprint? Fingerprint { get; init; }

    /// <summary>
    /// The metadata properties of the checkpoints of run <paramref name="runId"/> (or, when null, of the run whose
    /// generated id is number <paramref name="runNumber"/>): its id and the fingerprint's entries.
    /// </summary>
    public RunProperties RunProperties(string? runId, long runNumber) =>
        new(runId, runNumber, sharedProperties ??= Fingerprint?.AddTo(new Dictionary<string, string>(0)).ToArray() ?? []);

    /// <summary>The record of the state task (not a <c>Send</c>) of <paramref name="node"/> at position <paramref name="index"/> of step <paramref name="step"/>.</summary>
    public CachedTask Task(int step, int index, int nodeIndex, string node)
    {
        if ((uint)step > 0xFFFFF || (uint)index > 0xFFFF || (uint)nodeIndex > 0xFFFFFFF)
        {
            return new CachedTask(new PlannedTaskRecord(TaskId(step, index, node), node));
        }

        var key = ((long)step << 44) | ((long)index << 28) | (uint)nodeIndex;
        if (tasks.TryGetValue(key, out var cached))
        {
            return cached;
        }

        cached = new CachedTask(new PlannedTaskRecord(TaskId(step, index, node), node));
        return tasks.Count < MaxTasks ? tasks.GetOrAdd(key, cached) : cached;
    }

    /// <summary>The writers list of a step whose only update came from <paramref name="node"/>.</summary>
    public IReadOnlyList<string> SingleWriter(int nodeIndex, string node) =>
        writers[nodeIndex] ??= ImmutableArray.Create(node);

    /// <summary>The task id format shared with <see cref="NodeContext.TaskId"/>: <c>step:index:node</c>.</summary>
    /// <summary>
    /// How a store that keeps values inline (<see cref="IStepCheckpointSink"/>) keeps this graph's states: null unless
    /// the state type is one of <see cref="InlineBits{T}"/>'s and <paramref name="serializer"/> is the JSON one (whose
    /// frozen options make its output a function of the value).
    /// </summary>
    public InlineValue? InlineState<TState>(ICheckpointSerializer serializer) =>
        InlineBits<TState>.Supported && serializer is JsonCheckpointSerializer ? inlineState ??= new InlineState<TState>(serializer) : null;

    /// <summary>How such a store keeps the update of a task's result (see <see cref="InlineState{TState}"/>).</summary>
    public InlineValue? InlineUpdate<TUpdate>(ICheckpointSerializer serializer) =>
        InlineBits<TUpdate>.Supported && serializer is JsonCheckpointSerializer ? inlineUpdate ??= new InlineUpdate<TUpdate>(serializer) : null;

    public static string TaskId(int step, int index, string node) => $"{step}:{index}:{node}";

    internal sealed class CachedTask(PlannedTaskRecord record)
    {
        public PlannedTaskRecord Record { get; } = record;

        /// <summary>The record as the whole plan of a one-task step.</summary>
        public IReadOnlyList<PlannedTaskRecord> Single { get; } = ImmutableArray.Create(record);
    }
}
