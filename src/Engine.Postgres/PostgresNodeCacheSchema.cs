using System.Globalization;
using Graph.Engine.Checkpoints;
using Npgsql;

namespace Graph.Engine.Postgres;

/// <summary>
/// The node cache's table, kept in a checkpoint store's schema but versioned on its own (the <c>node_cache_version</c>
/// row of <c>graph_schema</c>), so the checkpoint schema's version does not change when a cache is opened. Created and
/// migrated in one transaction under an advisory lock, as the checkpoint schema is: openers racing on a new schema
/// create the table exactly once.
/// </summary>
internal static class PostgresNodeCacheSchema
{
    /// <summary>Version 1: the table, one row per node and key, each with a digest of its columns.</summary>
    private const string V1 = """
        CREATE TABLE {s}.node_cache (
            node text NOT NULL,
            key text NOT NULL,
            value bytea NOT NULL,
            expires_ticks bigint,
            digest bytea NOT NULL,
            PRIMARY KEY (node, key));
        """;

    private const string VersionRow = "node_cache_version";

    /// <summary>The scripts, oldest first; the cache's version is how many of them have run.</summary>
    private static readonly IReadOnlyList<string> Scripts = [V1];

    /// <summary>The cache version this code reads and writes.</summary>
    public static int Version => Scripts.Count;

    /// <summary>Creates or migrates the cache table in <paramref name="schema"/> (a checkpoint store's), and refuses a newer one.</summary>
    public static async Task OpenOrCreateAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('Graph.Engine.Postgres node cache ' || $1, 0))", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = schema });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        string? text;
        await using (var read = new NpgsqlCommand(PostgresSchema.Sql(schema, $"SELECT value FROM {{s}}.graph_schema WHERE name = '{VersionRow}'"), connection, transaction))
        {
            text = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }

        var version = text is null ? 0 : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
            ? parsed
            : throw new CheckpointStoreException($"The PostgreSQL schema '{schema}' has a node cache of version '{text}', which is not a node cache version; it was left untouched.");
        if (version > Version)
        {
            throw new CheckpointStoreException(
                $"The PostgreSQL schema '{schema}' holds a node cache of version {version}; this version of Graph.Engine.Postgres reads version {Version}. It was left untouched.");
        }

        for (var next = version; next < Version; next++)
        {
            await ExecuteAsync(connection, transaction, PostgresSchema.Sql(schema, Scripts[next]), cancellationToken).ConfigureAwait(false);
        }

        if (version < Version)
        {
            await ExecuteAsync(
                connection,
                transaction,
                PostgresSchema.Sql(schema, $"INSERT INTO {{s}}.graph_schema (name, value) VALUES ('{VersionRow}', '{Version.ToString(CultureInfo.InvariantCulture)}') ON CONFLICT (name) DO UPDATE SET value = excluded.value"),
                cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
