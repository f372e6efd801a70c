using System.Diagnostics.Metrics;
using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Sqlite;
using Graph.Engine.Workloads.Measuring;

namespace Graph.Engine.Workloads.Engine;

/// <summary>
/// chain10-checkpointed (in-memory checkpointer) and chain10-sqlite (SQLite checkpointer on a temporary file): chain10
/// with a checkpointer, each run on a new thread id, one run at a time.
/// </summary>
/// <remarks>
/// Every run's checkpoints are kept (as LangGraph's MemorySaver and SqliteSaver keep them), so the in-memory store grows
/// during a measurement; the SQLite file is deleted at teardown. chain10-sqlite also reports the store's statements and
/// synced commits per run (from the <see cref="SqliteCheckpointer.MeterName"/> meter) and the file's bytes per run.
/// </remarks>
/// <param name="sqlite">True for chain10-sqlite, false for chain10-checkpointed.</param>
public sealed class EngineChainCheckpointed(bool sqlite) : Workload(
    sqlite ? WorkloadNames.Chain10Sqlite : WorkloadNames.Chain10Checkpointed,
    EngineImplementation,
    MeasureKind.PerRun)
{
    private const int Length = 10;
    private readonly string threadPrefix = $"bench-{Guid.NewGuid():N}-";
    private string? path;
    private ICheckpointer? checkpointer;
    private CompiledGraph<int, int>? graph;
    private MeterListener? listener;
    private long runs;
    private long statements;
    private long syncedCommits;
    private StoreFigures? store;

    /// <inheritdoc/>
    public override StoreFigures? Store => store;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        if (sqlite)
        {
            path = Path.Combine(Path.GetTempPath(), $"graph-bench-{Guid.NewGuid():N}.db");
            checkpointer = SqliteCheckpointer.Open(path);
            listener = ListenToStore(((SqliteCheckpointer)checkpointer).Path);
        }
        else
        {
            checkpointer = new InMemoryCheckpointer();
        }

        graph = EngineGraphs.Chain(Length, GraphCompileOptions.Default with { Checkpointer = checkpointer });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var compiled = graph!;
        for (var i = 0; i < iterations; i++)
        {
            var options = new RunOptions { ThreadId = threadPrefix + (++runs).ToString(System.Globalization.CultureInfo.InvariantCulture) };
            Check(await compiled.InvokeAsync(0, options, cancellationToken).ConfigureAwait(false), Length);
        }
    }

    /// <inheritdoc/>
    public override async ValueTask TeardownAsync()
    {
        if (graph is not null)
        {
            await graph.DisposeAsync().ConfigureAwait(false);
        }

        if (checkpointer is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }

        if (path is not null)
        {
            listener!.Dispose();
            var runsWritten = Math.Max(1, Interlocked.Read(ref runs));
            store = new StoreFigures(
                Interlocked.Read(ref statements) / (double)runsWritten,
                Interlocked.Read(ref syncedCommits) / (double)runsWritten,
                new FileInfo(path).Length / (double)runsWritten);
            foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
            {
                File.Delete(file);
            }
        }
    }

    private MeterListener ListenToStore(string file)
    {
        var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listening) =>
            {
                if (instrument.Meter.Name == SqliteCheckpointer.MeterName && instrument.Name is "graph.sqlite.statements" or "graph.sqlite.synced_commits")
                {
                    listening.EnableMeasurementEvents(instrument);
                }
            },
        };
        meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "graph.sqlite.file" && Equals(tag.Value, file))
                {
                    if (instrument.Name == "graph.sqlite.statements")
                    {
                        Interlocked.Add(ref statements, value);
                    }
                    else
                    {
                        Interlocked.Add(ref syncedCommits, value);
                    }
                }
            }
        });
        meterListener.Start();
        return meterListener;
    }
}
