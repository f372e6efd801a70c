using Graph.Engine.Checkpoints;
using Graph.Engine.Postgres;
using Graph.Engine.Sqlite;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Durability;

public enum StoreKind
{
    Memory,
    Sqlite,

    /// <summary>A fresh schema on the server of GRAPH_TEST_POSTGRES (skipped without it, except on CI).</summary>
    Postgres,
}

/// <summary>A checkpointer of the given kind in a temporary directory (PostgreSQL: a schema of its own), deleted on dispose.</summary>
internal sealed class TestStore : IAsyncDisposable
{
    private readonly string directory;
    private readonly string? schema;

    public TestStore(StoreKind kind)
    {
        directory = Path.Combine(Path.GetTempPath(), "graph-durability-" + Guid.NewGuid().ToString("N"));
        FilePath = Path.Combine(directory, "checkpoints.db");
        ICheckpointer? postgres = kind == StoreKind.Postgres ? PostgresServer.OpenFreshAsync(out schema).GetAwaiter().GetResult() : null;
        Directory.CreateDirectory(directory);
        Store = postgres ?? (kind == StoreKind.Memory ? new InMemoryCheckpointer() : (ICheckpointer)SqliteCheckpointer.Open(FilePath));
    }

    public ICheckpointer Store { get; }

    public string FilePath { get; }

    public async ValueTask DisposeAsync()
    {
        if (Store is IAsyncDisposable d)
        {
            await d.DisposeAsync();
        }

        Directory.Delete(directory, recursive: true);
        if (schema is not null)
        {
            await PostgresServer.DropAsync(schema);
        }
    }
}
