using Npgsql;

namespace Graph.Engine.Orleans.Postgres;

/// <summary>The cluster's PostgreSQL database: one data source per silo or client, the schema migrated once before first use.</summary>
internal sealed class PostgresClusterDatabase : IAsyncDisposable
{
    private readonly SemaphoreSlim migrateGate = new(1, 1);
    private volatile bool migrated;

    public PostgresClusterDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        DataSource = NpgsqlDataSource.Create(connectionString);
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
