using Graph.Engine.Postgres;
using Npgsql;

namespace Graph.Engine.Tests.Support;

/// <summary>
/// The PostgreSQL server of the tests, from GRAPH_TEST_POSTGRES (set by <c>bash .ci/postgres.sh run -- …</c>). Without it a
/// test is skipped with the command to run, except on CI (CI=true), where a missing server fails the test.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "GRAPH_TEST_POSTGRES";

    public const string Missing = "PostgreSQL tests need GRAPH_TEST_POSTGRES; run: bash .ci/postgres.sh run -- dotnet test Graph.sln";

    /// <summary>The connection string; skips (or on CI fails) the calling test when there is none.</summary>
    public static string ConnectionString
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(Variable);
            if (!string.IsNullOrWhiteSpace(value))
            {
                return value;
            }

            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(Missing + " (on CI a missing server is a failure)");
            }

            Assert.Ignore(Missing);
            return null!;
        }
    }

    /// <summary>A schema name no other test uses.</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N");

    /// <summary>Opens a store in a fresh schema of its own.</summary>
    public static Task<PostgresCheckpointer> OpenFreshAsync(out string schema)
    {
        schema = NewSchema();
        return PostgresCheckpointer.OpenAsync(ConnectionString, schema);
    }

    /// <summary>Drops a test's schema with everything in it.</summary>
    public static async Task DropAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>SQL: the key of a thread of the store in <paramref name="schema"/> (rows refer to their thread by it).</summary>
    public static string ThreadKey(string schema, string threadId) => $"(SELECT thread_key FROM {schema}.threads WHERE thread_id = '{threadId}')";

    /// <summary>
    /// Creates a store schema as an older version of this library left it: the first <paramref name="version"/>
    /// migrations, then <paramref name="writes"/> made through that version's write functions in one batch.
    /// </summary>
    internal static async Task CreateAtVersionAsync(string schema, int version, params Func<PostgresStatements, NpgsqlBatchCommand>[] writes)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var scripts = PostgresMigrations.Scripts.Take(version).Select(script => PostgresSchema.Sql(schema, script));
        var marker = $"UPDATE \"{schema}\".graph_schema SET value = '{version}' WHERE name = 'version'";
        foreach (var sql in scripts.Prepend($"CREATE SCHEMA \"{schema}\"").Append(marker))
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        if (writes.Length > 0)
        {
            await using var batch = new NpgsqlBatch(connection);
            var statements = new PostgresStatements(schema);
            foreach (var write in writes)
            {
                batch.BatchCommands.Add(write(statements));
            }

            await batch.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Runs one SQL statement (to damage or inspect a store the way an operator or an attacker could).</summary>
    public static async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }
}
