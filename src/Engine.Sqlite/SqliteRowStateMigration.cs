using Microsoft.Data.Sqlite;

namespace Graph.Engine.Sqlite;

/// <summary>
/// Version 4 to 5: a checkpoint row may hold its state itself (the <c>state</c> column, up to
/// <see cref="SqliteSchema.RowStateLimit"/> bytes; NULL when the state is in <c>blobs</c>), and the
/// <c>checkpoints_by_state</c> index covers only the rows whose state is in <c>blobs</c>. No existing row is rewritten:
/// every row written before keeps its state in <c>blobs</c> (its <c>state</c> is NULL). Inside the caller's migration
/// transaction.
/// </summary>
internal static class SqliteRowStateMigration
{
    public static void Apply(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            ALTER TABLE checkpoints ADD COLUMN state BLOB;
            DROP INDEX checkpoints_by_state;
            CREATE INDEX checkpoints_by_state ON checkpoints (state_hash) WHERE state IS NULL;
            UPDATE graph_schema SET value = '5' WHERE name = 'version';
            """;
        command.ExecuteNonQuery();
    }
}
