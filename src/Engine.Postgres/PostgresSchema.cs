using System.Globalization;
using System.Text.RegularExpressions;
using Graph.Engine.Checkpoints;
using Npgsql;

namespace Graph.Engine.Postgres;

/// <summary>
/// Creates and migrates the store's schema. Everything happens in one transaction under a transaction-level advisory
/// lock keyed by the schema name, so two processes opening the same new (or old) schema at once create (or migrate) it
/// exactly once; the second finds it done.
/// </summary>
internal static partial class PostgresSchema
{
    /// <summary>A schema name the store accepts: an unquoted lower-case PostgreSQL identifier.</summary>
    public static void Validate(string schema)
    {
        ArgumentException.ThrowIfNullOrEmpty(schema);
        if (!Identifier().IsMatch(schema))
        {
            throw new ArgumentException(
                $"The schema name '{schema}' is not a lower-case PostgreSQL identifier (letters a-z, digits and '_', starting with a letter or '_', at most 63 characters).",
                nameof(schema));
        }
    }

    /// <summary>The SQL of <paramref name="template"/> with <c>{s}</c> replaced by the quoted schema name.</summary>
    public static string Sql(string schema, string template) => template.Replace("{s}", $"\"{schema}\"", StringComparison.Ordinal);

    /// <summary>Creates the schema when it is missing, applies the migrations it lacks, and refuses a newer or foreign one.</summary>
    public static async Task OpenOrCreateAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('Graph.Engine.Postgres schema ' || $1, 0))", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = schema });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var version = await ReadVersionAsync(connection, transaction, schema, cancellationToken).ConfigureAwait(false);
        if (version > PostgresMigrations.Version)
        {
            throw new CheckpointStoreException(
                $"The PostgreSQL schema '{schema}' holds Graph checkpoints of schema version {version}; this version of Graph.Engine.Postgres reads version {PostgresMigrations.Version}. It was left untouched.");
        }

        if (version == PostgresMigrations.Version)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        if (version == 0)
        {
            await ExecuteAsync(connection, transaction, $"CREATE SCHEMA IF NOT EXISTS \"{schema}\"", cancellationToken).ConfigureAwait(false);
        }

        for (var next = version; next < PostgresMigrations.Version; next++)
        {
            await ExecuteAsync(connection, transaction, Sql(schema, PostgresMigrations.Scripts[next]), cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(
            connection,
            transaction,
            Sql(schema, $"UPDATE {{s}}.graph_schema SET value = '{PostgresMigrations.Version.ToString(CultureInfo.InvariantCulture)}' WHERE name = 'version'"),
            cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The schema's version: 0 when it has no store tables yet; refuses a schema whose tables belong to something else.</summary>
    private static async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, CancellationToken cancellationToken)
    {
        await using var tables = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE table_name = 'graph_schema'), count(*) FROM information_schema.tables WHERE table_schema = $1",
            connection,
            transaction);
        tables.Parameters.Add(new NpgsqlParameter { Value = schema });
        long marker, total;
        await using (var reader = await tables.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            (marker, total) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        if (marker == 0)
        {
            return total == 0
                ? 0
                : throw new CheckpointStoreException(
                    $"The PostgreSQL schema '{schema}' has {total} table(s) but is not a Graph checkpoint store (no graph_schema table); it was left untouched. Use another schema.");
        }

        await using var read = new NpgsqlCommand(Sql(schema, "SELECT value FROM {s}.graph_schema WHERE name = 'version'"), connection, transaction);
        var value = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0
            ? version
            : throw new CheckpointStoreException(
                $"The PostgreSQL schema '{schema}' has a graph_schema table with version '{value ?? "(none)"}', which is not a Graph checkpoint store version; it was left untouched.");
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
