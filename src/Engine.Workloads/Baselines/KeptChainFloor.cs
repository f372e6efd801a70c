using System.Buffers.Binary;
using System.Globalization;
using Graph.Engine.Graphs;
using Graph.Engine.Workloads.Engine;

namespace Graph.Engine.Workloads.Baselines;

/// <summary>
/// chain10-checkpointed's floor: the engine's chain10 with no checkpointer, each run under a new thread id, and after
/// each run what any in-memory store must keep of it, kept by the plainest code: the thread id in a
/// <see cref="Dictionary{TKey, TValue}"/>, and for each of the run's eleven checkpoints (its input and its ten steps)
/// a record of <see cref="RecordBytes"/> bytes written into a log of large byte arrays, with the checkpoint's creation
/// time read from the clock. No lock, no engine work for persistence, no reference in the log for the GC to trace.
/// </summary>
/// <remarks>
/// A record holds the checkpoint's step and next node (4 B each), its state (8 B), its creation time (8 B) and its
/// task's write (8 B): a third of the in-memory store's 96 B record, and less than any store keeps (no parent, no
/// metadata, no properties). Every run's records and thread id are kept until teardown, as the workload keeps every
/// run's checkpoints. The engine's ratio to this baseline is what checkpointing costs beyond keeping its least.
/// </remarks>
public sealed class KeptChainFloor() : Workload(WorkloadNames.Chain10Checkpointed, BaselineNames.KeptFloor, MeasureKind.PerRun)
{
    /// <summary>The bytes kept per checkpoint.</summary>
    public const int RecordBytes = 32;

    /// <summary>The checkpoints of one chain10 run: its input and its ten steps.</summary>
    public const int CheckpointsPerRun = Length + 1;

    private const int Length = 10;
    private const int ChunkBytes = 1 << 20;

    private readonly string threadPrefix = $"bench-{Guid.NewGuid():N}-";
    private readonly Dictionary<string, long> threads = new(StringComparer.Ordinal);
    private readonly List<byte[]> chunks = [];
    private readonly TimeProvider clock = TimeProvider.System;
    private int used = ChunkBytes;
    private CompiledGraph<int, int>? graph;
    private long runs;

    /// <summary>Gets the ids of the threads kept so far, one per run.</summary>
    public IReadOnlyCollection<string> ThreadIds => threads.Keys;

    /// <summary>Gets the bytes of records kept so far.</summary>
    public long KeptBytes => threads.Count * (long)CheckpointsPerRun * RecordBytes;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        graph = EngineGraphs.Chain(Length);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var compiled = graph!;
        for (var i = 0; i < iterations; i++)
        {
            var thread = threadPrefix + (++runs).ToString(CultureInfo.InvariantCulture);
            Check(await compiled.InvokeAsync(0, null, cancellationToken).ConfigureAwait(false), Length);
            Keep(thread);
        }
    }

    /// <summary>
    /// Reads back the records kept for <paramref name="threadId"/>: each checkpoint's step, next node, state, creation
    /// time and write, in order.
    /// </summary>
    /// <param name="threadId">One of <see cref="ThreadIds"/>.</param>
    /// <returns>The run's <see cref="CheckpointsPerRun"/> records.</returns>
    /// <exception cref="KeyNotFoundException">No run was kept under <paramref name="threadId"/>.</exception>
    public IReadOnlyList<(int Step, int NextNode, long State, DateTimeOffset CreatedAt, long Write)> Read(string threadId)
    {
        var position = threads[threadId];
        var records = new (int, int, long, DateTimeOffset, long)[CheckpointsPerRun];
        for (var c = 0; c < records.Length; c++)
        {
            var record = chunks[(int)(position / ChunkBytes)].AsSpan((int)(position % ChunkBytes) + (c * RecordBytes), RecordBytes);
            records[c] = (
                BinaryPrimitives.ReadInt32LittleEndian(record),
                BinaryPrimitives.ReadInt32LittleEndian(record[4..]),
                BinaryPrimitives.ReadInt64LittleEndian(record[8..]),
                new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(record[16..]), TimeSpan.Zero),
                BinaryPrimitives.ReadInt64LittleEndian(record[24..]));
        }

        return records;
    }

    /// <inheritdoc/>
    public override async ValueTask TeardownAsync()
    {
        if (graph is not null)
        {
            await graph.DisposeAsync().ConfigureAwait(false);
        }

        threads.Clear();
        chunks.Clear();
        used = ChunkBytes;
    }

    /// <summary>
    /// Keeps a finished run under <paramref name="thread"/>: checkpoint c (step c - 1) holds the state c, goes on to node
    /// c (the chain's end after the last) and records the write c + 1 of its task (none after the last).
    /// </summary>
    private void Keep(string thread)
    {
        const int runBytes = CheckpointsPerRun * RecordBytes;
        if (used + runBytes > ChunkBytes)
        {
            chunks.Add(new byte[ChunkBytes]);
            used = 0;
        }

        threads.Add(thread, ((chunks.Count - 1) * (long)ChunkBytes) + used);
        var run = chunks[^1].AsSpan(used, runBytes);
        for (var c = 0; c < CheckpointsPerRun; c++)
        {
            var record = run.Slice(c * RecordBytes, RecordBytes);
            var last = c == Length;
            BinaryPrimitives.WriteInt32LittleEndian(record, c - 1);
            BinaryPrimitives.WriteInt32LittleEndian(record[4..], last ? -1 : c);
            BinaryPrimitives.WriteInt64LittleEndian(record[8..], c);
            BinaryPrimitives.WriteInt64LittleEndian(record[16..], clock.GetUtcNow().UtcTicks);
            BinaryPrimitives.WriteInt64LittleEndian(record[24..], last ? 0 : c + 1);
        }

        used += runBytes;
    }
}
