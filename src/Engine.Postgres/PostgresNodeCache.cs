using System.Diagnostics;
using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Npgsql;

namespace Graph.Engine.Postgres;

/// <summary>
/// A durable <see cref="INodeCache"/>: the <c>node_cache</c> table in a PostgreSQL checkpoint store's schema, so cached
/// node results survive a restart and are shared by every process that uses the store.
/// </summary>
/// <remarks>
/// <see cref="OpenAsync"/> creates the checkpoint schema when it is missing (as <see cref="PostgresCheckpointer.OpenAsync"/>
/// does), then the cache table. The table is versioned on its own, so opening a cache leaves the checkpoint schema's
/// version as it is. Each row carries a SHA-256 digest of its columns; a row that fails its digest is treated as absent
/// and replaced by the next result. Calls are independent statements on pooled connections, safe for concurrent use;
/// when two processes store the same node and key at once, the last write wins.
/// </remarks>
[DebuggerDisplay("PostgreSQL node cache in schema {Schema}")]
public sealed class PostgresNodeCache : INodeCache, IAsyncDisposable
{
    private readonly NpgsqlDataSource dataSource;
    private readonly string get;
    private readonly string set;
    private readonly string clearAll;
    private readonly string clearNode;
    private readonly string clearKey;

    private PostgresNodeCache(NpgsqlDataSource dataSource, string schema)
    {
        this.dataSource = dataSource;
        Schema = schema;
        get = PostgresSchema.Sql(schema, "SELECT value, expires_ticks, digest FROM {s}.node_cache WHERE node = $1 AND key = $2");
        set = PostgresSchema.Sql(
            schema,
            "INSERT INTO {s}.node_cache (node, key, value, expires_ticks, digest) VALUES ($1, $2, $3, $4, $5) "
            + "ON CONFLICT (node, key) DO UPDATE SET value = excluded.value, expires_ticks = excluded.expires_ticks, digest = excluded.digest");
        clearAll = PostgresSchema.Sql(schema, "DELETE FROM {s}.node_cache");
        clearNode = PostgresSchema.Sql(schema, "DELETE FROM {s}.node_cache WHERE node = $1");
        clearKey = PostgresSchema.Sql(schema, "DELETE FROM {s}.node_cache WHERE node = $1 AND key = $2");
    }

    /// <summary>The PostgreSQL schema holding the cache's table (the checkpoint store's).</summary>
    public string Schema { get; }

    /// <summary>
    /// Connects to the checkpoint store in <paramref name="schema"/> (created when missing), adding the cache table if
    /// the schema has none.
    /// </summary>
    /// <param name="connectionString">An Npgsql connection string (<c>Host=…;Username=…;Password=…;Database=…</c>).</param>
    /// <param name="schema">The checkpoint store's schema: a lower-case identifier; <see cref="PostgresCheckpointer.DefaultSchema"/> by default.</param>
    /// <param name="cancellationToken">Cancels connecting and creating.</param>
    /// <returns>The open cache; dispose it to close its connections.</returns>
    /// <exception cref="ArgumentException">The connection string is empty or invalid, or the schema name is not a lower-case identifier.</exception>
    /// <exception cref="CheckpointStoreException">
    /// The server cannot be reached, or the schema holds something else, a newer store or a newer cache (left untouched).
    /// </exception>
    public static async Task<PostgresNodeCache> OpenAsync(string connectionString, string schema = PostgresCheckpointer.DefaultSchema, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        PostgresSchema.Validate(schema);
        NpgsqlDataSource dataSource;
        try
        {
            dataSource = NpgsqlDataSource.Create(connectionString);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException($"The PostgreSQL connection string is invalid: {exception.Message}", nameof(connectionString), exception);
        }

        try
        {
            await PostgresSchema.OpenOrCreateAsync(dataSource, schema, create: true, cancellationToken).ConfigureAwait(false);
            await PostgresNodeCacheSchema.OpenOrCreateAsync(dataSource, schema, cancellationToken).ConfigureAwait(false);
            return new PostgresNodeCache(dataSource, schema);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw new CheckpointStoreException($"Cannot open the PostgreSQL node cache (schema '{schema}'): {exception.Message}", exception);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<NodeCacheEntry?> GetAsync(string node, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            await using var command = dataSource.CreateCommand(get);
            command.Parameters.Add(new NpgsqlParameter { Value = node });
            command.Parameters.Add(new NpgsqlParameter { Value = key });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? NodeCacheRowDigest.Read(reader, node, key) : null;
        }
        catch (NpgsqlException exception)
        {
            throw Failed(exception);
        }
    }

    /// <inheritdoc />
    public async ValueTask SetAsync(string node, string key, NodeCacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(entry);
        var value = entry.Value.ToArray();
        long? ticks = entry.ExpiresAt?.UtcTicks;
        try
        {
            await using var command = dataSource.CreateCommand(set);
            command.Parameters.Add(new NpgsqlParameter { Value = node });
            command.Parameters.Add(new NpgsqlParameter { Value = key });
            command.Parameters.Add(new NpgsqlParameter { Value = value });
            command.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = ticks, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { Value = NodeCacheRowDigest.Of(node, key, value, ticks) });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            throw Failed(exception);
        }
    }

    /// <inheritdoc />
    public async ValueTask<int> ClearAsync(string? node = null, string? key = null, CancellationToken cancellationToken = default)
    {
        if (key is not null && node is null)
        {
            throw new ArgumentException("Clearing one key needs its node.", nameof(key));
        }

        try
        {
            await using var command = dataSource.CreateCommand(node is null ? clearAll : key is null ? clearNode : clearKey);
            if (node is not null)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = node });
            }

            if (key is not null)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = key });
            }

            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            throw Failed(exception);
        }
    }

    /// <summary>Closes the cache's connections.</summary>
    /// <returns>A task that completes when they are closed.</returns>
    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    private CheckpointStoreException Failed(NpgsqlException exception) =>
        new($"The PostgreSQL node cache in schema '{Schema}' failed: {exception.Message}", exception);
}
