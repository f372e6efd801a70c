using Graph.Engine.Checkpoints;
using Graph.Engine.Sqlite;

namespace Graph.Engine.Tests.Durability;

public enum StoreKind
{
    Memory,
    Sqlite,
}

/// <summary>A checkpointer of the given kind in a temporary directory, deleted on dispose.</summary>
internal sealed class TestStore : IAsyncDisposable
{
    private readonly string directory;

    public TestStore(StoreKind kind)
    {
        directory = Path.Combine(Path.GetTempPath(), "graph-durability-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        FilePath = Path.Combine(directory, "checkpoints.db");
        Store = kind == StoreKind.Memory ? new InMemoryCheckpointer() : SqliteCheckpointer.Open(FilePath);
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
    }
}
