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
    /// <see cref="ExitCodes.StoreError"/>). With <paramref name="keyFile"/>, the store is read and written through a
    /// <see cref="ProtectedCheckpointer"/> with the file's keys (<see cref="KeyFile"/>), read before the store is opened.
    /// </summary>
    public static async Task<OpenStore> OpenExistingAsync(StoreLocation location, CancellationToken cancellationToken, FileInfo? keyFile = null)
    {
        var keys = keyFile is null ? null : KeyFile.Read(keyFile);
        if (location.File is { } file)
        {
            var sqlite = CheckpointFile.OpenExisting(file);
            return new OpenStore(Protect(sqlite, keys), sqlite);
        }

        try
        {
            var postgres = await PostgresCheckpointer.OpenExistingAsync(location.ConnectionString!, location.Schema, cancellationToken).ConfigureAwait(false);
            return new OpenStore(Protect(postgres, keys), postgres);
        }
        catch (Exception e) when (e is CheckpointStoreException or NpgsqlException or ArgumentException)
        {
            throw new CliException(ExitCodes.StoreError, $"{location.Display}: {e.Message}");
        }
    }

    /// <summary>The store itself, or behind a <see cref="ProtectedCheckpointer"/> with <paramref name="keys"/>.</summary>
    public static ICheckpointer Protect(ICheckpointer store, CheckpointKeys? keys) => keys is null ? store : new ProtectedCheckpointer(store, keys);
}

/// <summary>A store a command opened, closed when the command ends.</summary>
internal sealed class OpenStore(ICheckpointer store, IAsyncDisposable owner) : IAsyncDisposable
{
    public ICheckpointer Store { get; } = store;

    public ValueTask DisposeAsync() => owner.DisposeAsync();
}
