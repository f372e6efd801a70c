using Graph.Engine.Checkpoints;
using Graph.Engine.Postgres;
using Npgsql;

namespace Graph.Cli.Store;

/// <summary>Opens the store a <c>--db</c> value names, turning every way it can be wrong into one <see cref="CliException"/>.</summary>
internal static class CheckpointStores
{
    /// <summary>
    /// Opens an existing store for inspection, never creating one: a SQLite file as <see cref="CheckpointFile.OpenExisting"/>
    /// does, a PostgreSQL schema only when it holds a store (an unreachable server or a missing store is
    /// <see cref="ExitCodes.StoreError"/>).
    /// </summary>
    public static async Task<OpenStore> OpenExistingAsync(StoreLocation location, CancellationToken cancellationToken)
    {
        if (location.File is { } file)
        {
            var sqlite = CheckpointFile.OpenExisting(file);
            return new OpenStore(sqlite, sqlite);
        }

        try
        {
            var postgres = await PostgresCheckpointer.OpenExistingAsync(location.ConnectionString!, location.Schema, cancellationToken).ConfigureAwait(false);
            return new OpenStore(postgres, postgres);
        }
        catch (Exception e) when (e is CheckpointStoreException or NpgsqlException or ArgumentException)
        {
            throw new CliException(ExitCodes.StoreError, $"{location.Display}: {e.Message}");
        }
    }
}

/// <summary>A store a command opened, closed when the command ends.</summary>
internal sealed class OpenStore(ICheckpointer store, IAsyncDisposable owner) : IAsyncDisposable
{
    public ICheckpointer Store { get; } = store;

    public ValueTask DisposeAsync() => owner.DisposeAsync();
}
