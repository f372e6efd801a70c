using Graph.Engine.Checkpoints.Storage;
using Microsoft.Data.Sqlite;

namespace Graph.Engine.Sqlite;

/// <summary>
/// Version 3 to 4: the <c>write_counts</c> table records, for every checkpoint that is not its thread's latest and has
/// pending writes, how many (the thread's head row counts the latest's), each row under its
/// <see cref="CheckpointRowDigest.WriteCount"/>; so a pending write of an older checkpoint that vanishes is detected.
/// Counted from the file as it is when migrated, inside the caller's migration transaction.
/// </summary>
internal static class SqliteWriteCountMigration
{
    public static void Apply(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            CREATE TABLE write_counts (
                thread_id TEXT NOT NULL,
                checkpoint_id INTEGER NOT NULL,
                writes INTEGER NOT NULL,
                digest BLOB NOT NULL,
                PRIMARY KEY (thread_id, checkpoint_id)) WITHOUT ROWID;
            """;
        command.ExecuteNonQuery();
        var counts = new List<(string Thread, long Checkpoint, long Writes)>();
        command.CommandText = """
            SELECT w.thread_id, w.checkpoint_id, count(*) FROM writes w JOIN threads t ON t.thread_id = w.thread_id
            WHERE w.checkpoint_id <> t.latest_id GROUP BY w.thread_id, w.checkpoint_id
            """;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                counts.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
            }
        }

        command.CommandText = "INSERT INTO write_counts VALUES ($thread, $id, $writes, $digest)";
        foreach (var (thread, checkpoint, writes) in counts)
        {
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$thread", thread);
            command.Parameters.AddWithValue("$id", checkpoint);
            command.Parameters.AddWithValue("$writes", writes);
            command.Parameters.AddWithValue("$digest", CheckpointRowDigest.WriteCount(thread, checkpoint, writes));
            command.ExecuteNonQuery();
        }

        command.Parameters.Clear();
        command.CommandText = "UPDATE graph_schema SET value = '4' WHERE name = 'version'";
        command.ExecuteNonQuery();
    }
}
