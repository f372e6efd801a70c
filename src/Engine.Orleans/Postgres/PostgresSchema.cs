using Npgsql;

namespace Graph.Engine.Orleans.Postgres;

/// <summary>
/// Creates and migrates the cluster's tables: membership (a version row per cluster and a row per silo) and the run
/// registry. Each migration runs once, under an advisory lock, in its own transaction; the applied versions are kept
/// in <c>graph_cluster_schema</c>, so silos starting together migrate once.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The advisory lock key of migrations (any constant shared by all silos).</summary>
    private const long LockKey = 0x67726170_68_6f726cL;

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE graph_cluster_versions (
            cluster_id text PRIMARY KEY,
            version integer NOT NULL,
            etag bigint NOT NULL);
        CREATE TABLE graph_cluster_members (
            cluster_id text NOT NULL REFERENCES graph_cluster_versions (cluster_id) ON DELETE CASCADE,
            address text NOT NULL,
            port integer NOT NULL,
            generation integer NOT NULL,
            silo_name text NOT NULL,
            host_name text NOT NULL,
            status integer NOT NULL,
            proxy_port integer NOT NULL,
            suspect_times text NOT NULL,
            start_time timestamptz NOT NULL,
            i_am_alive timestamptz NOT NULL,
            etag bigint NOT NULL,
            PRIMARY KEY (cluster_id, address, port, generation));
        CREATE TABLE graph_cluster_runs (
            cluster_id text NOT NULL,
            thread_id text NOT NULL,
            graph text NOT NULL,
            call_id text NOT NULL,
            silo text NOT NULL,
            started_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (cluster_id, thread_id));
        """,
    ];

    /// <summary>The schema version this code needs.</summary>
    public static int Version => Migrations.Length;

    /// <summary>Brings the database's schema to <see cref="Version"/>.</summary>
    /// <exception cref="InvalidOperationException">The database holds a newer schema than this code knows.</exception>
    public static async Task MigrateAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS graph_cluster_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", cancellationToken).ConfigureAwait(false);
        await using var read = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM graph_cluster_schema", connection);
        var current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        if (current > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"The database's cluster schema is at version {current}, newer than this Graph.Engine.Orleans knows ({Migrations.Length}); upgrade the silos.");
        }

        for (var version = current + 1; version <= Migrations.Length; version++)
        {
            await ExecuteAsync(connection, Migrations[version - 1], cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"INSERT INTO graph_cluster_schema (version) VALUES ({version})", cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
