using System.Data.Common;
using Npgsql;

namespace Graph.Engine.Orleans.Postgres;

/// <summary>The cluster's PostgreSQL database: one data source per silo or client, the schema migrated once before first use.</summary>
internal sealed class PostgresClusterDatabase : IAsyncDisposable
{
    /// <summary>
    /// The connection pool of the membership table and run registry, unless the connection string sets one: a few
    /// statements per run and per probe need few connections, and every silo's pool counts against the server's
    /// <c>max_connections</c> (docs/scale-out.md, "Connection budget").
    /// </summary>
    public const int DefaultMaxPoolSize = 8;

    private static readonly string[] PoolSizeKeys = ["Maximum Pool Size", "Max Pool Size", "MaxPoolSize"];
    private readonly SemaphoreSlim migrateGate = new(1, 1);
    private volatile bool migrated;

    public PostgresClusterDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!Array.Exists(PoolSizeKeys, given.ContainsKey))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }

        DataSource = NpgsqlDataSource.Create(builder);
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>Opens a connection, creating or migrating the schema the first time.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (!migrated)
        {
            await migrateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!migrated)
                {
                    await PostgresSchema.MigrateAsync(DataSource, cancellationToken).ConfigureAwait(false);
                    migrated = true;
                }
            }
            finally
            {
                migrateGate.Release();
            }
        }

        return await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync().ConfigureAwait(false);
        migrateGate.Dispose();
    }
}
