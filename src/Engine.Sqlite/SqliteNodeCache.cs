using System.Diagnostics;
using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Microsoft.Data.Sqlite;

namespace Graph.Engine.Sqlite;

/// <summary>
/// A durable <see cref="INodeCache"/>: the <c>node_cache</c> table in a checkpoint store's SQLite file, so cached node
/// results survive a restart with the threads they belong to.
/// </summary>
/// <remarks>
/// The table is created when the cache is first opened on a file (<c>CREATE TABLE IF NOT EXISTS</c>); it is not part
/// of the checkpoint schema, so the schema version stays 3 and files remain readable by checkpoint code that does not
/// know the cache. Each row carries a SHA-256 digest of its columns; a row that fails its digest is treated as absent
/// and replaced by the next result. Calls are serialized on one connection; the checkpointer's writer and this cache
/// share the file through SQLite's locking (WAL, a 10 s busy timeout).
/// </remarks>
[DebuggerDisplay("SQLite node cache at {Path}")]
public sealed class SqliteNodeCache : INodeCache, IDisposable
{
    private const string CreateSql = """
        CREATE TABLE IF NOT EXISTS node_cache (
            node TEXT NOT NULL,
            key TEXT NOT NULL,
            value BLOB NOT NULL,
            expires_ticks INTEGER,
            digest BLOB NOT NULL,
            PRIMARY KEY (node, key));
        """;

    private static readonly Lazy<bool> Initialized = new(() =>
    {
        SqliteNativeLibrary.Initialize();
        return true;
    });

    private readonly SqliteConnection connection;
    private readonly Lock gate = new();
    private bool disposed;

    private SqliteNodeCache(string path, SqliteConnection connection)
    {
        Path = path;
        this.connection = connection;
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <summary>
    /// Opens the cache in the checkpoint store at <paramref name="path"/> (the file and its checkpoint schema are
    /// created when missing, as <see cref="SqliteCheckpointer.Open"/> does), adding the cache table if the file has none.
    /// </summary>
    /// <param name="path">The database file (usually the checkpointer's).</param>
    /// <returns>The open cache; dispose it to close its connection.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="CheckpointStoreException">The file is not a Graph checkpoint store this code can open; it is left untouched.</exception>
    public static SqliteNodeCache Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _ = Initialized.Value;
        var fullPath = System.IO.Path.GetFullPath(path);
        SqliteSchema.OpenOrCreate(fullPath);
        var connection = new SqliteConnection(SqliteSchema.ConnectionString(fullPath, SqliteOpenMode.ReadWrite));
        try
        {
            connection.Open();
            SqliteSchema.Execute(connection, "PRAGMA busy_timeout = 10000;");
            SqliteSchema.Execute(connection, CreateSql);
            return new SqliteNodeCache(fullPath, connection);
        }
        catch (SqliteException exception)
        {
            connection.Dispose();
            throw new CheckpointStoreException($"'{fullPath}': the node cache table could not be opened ({SqliteErrorText.Describe(exception)}).", exception);
        }
    }

    /// <inheritdoc />
    public ValueTask<NodeCacheEntry?> GetAsync(string node, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            return new(Guarded(() => Read(node, key)));
        }
    }

    /// <inheritdoc />
    public ValueTask SetAsync(string node, string key, NodeCacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(entry);
        cancellationToken.ThrowIfCancellationRequested();
        var value = entry.Value.ToArray();
        long? ticks = entry.ExpiresAt?.UtcTicks;
        lock (gate)
        {
            using var command = Command(
                "INSERT OR REPLACE INTO node_cache (node, key, value, expires_ticks, digest) VALUES ($node, $key, $value, $expires, $digest)", node, key);
            command.Parameters.AddWithValue("$value", value);
            command.Parameters.AddWithValue("$expires", ticks is { } t ? t : DBNull.Value);
            command.Parameters.AddWithValue("$digest", NodeCacheRowDigest.Of(node, key, value, ticks));
            Guarded(command.ExecuteNonQuery);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<int> ClearAsync(string? node = null, string? key = null, CancellationToken cancellationToken = default)
    {
        if (key is not null && node is null)
        {
            throw new ArgumentException("Clearing one key needs its node.", nameof(key));
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            using var command = Command(
                node is null ? "DELETE FROM node_cache" : key is null ? "DELETE FROM node_cache WHERE node = $node" : "DELETE FROM node_cache WHERE node = $node AND key = $key",
                node,
                key);
            return new(Guarded(command.ExecuteNonQuery));
        }
    }

    /// <summary>Closes the cache's connection.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (!disposed)
            {
                disposed = true;
                connection.Dispose();
            }
        }
    }

    private NodeCacheEntry? Read(string node, string key)
    {
        using var command = Command("SELECT value, expires_ticks, digest FROM node_cache WHERE node = $node AND key = $key", node, key);
        using var reader = command.ExecuteReader();
        return reader.Read() ? NodeCacheRowDigest.Read(reader, node, key) : null;
    }

    /// <summary>Runs a SQLite call, naming the file in the <see cref="CheckpointStoreException"/> it fails with.</summary>
    private T Guarded<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (SqliteException exception)
        {
            throw new CheckpointStoreException($"'{Path}': the node cache failed ({SqliteErrorText.Describe(exception)}).", exception);
        }
    }

    private SqliteCommand Command(string sql, string? node, string? key)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        if (node is not null)
        {
            command.Parameters.AddWithValue("$node", node);
        }

        if (key is not null)
        {
            command.Parameters.AddWithValue("$key", key);
        }

        return command;
    }
}
