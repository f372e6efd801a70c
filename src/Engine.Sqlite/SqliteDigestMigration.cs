using Graph.Engine.Checkpoints.Storage;
using Microsoft.Data.Sqlite;

namespace Graph.Engine.Sqlite;

/// <summary>
/// Version 2 to 3: every checkpoint and pending-write row gets its <see cref="CheckpointRowDigest"/>, computed from the
/// row as it is when the file is migrated (so the digests protect the file from then on), and every thread its head
/// row (latest checkpoint and its number of pending writes). Inside the caller's migration transaction.
/// </summary>
internal static class SqliteDigestMigration
{
    public static void Apply(SqliteConnection connection, SqliteTransaction transaction)
    {
        Execute(connection, transaction, """
            ALTER TABLE checkpoints ADD COLUMN digest BLOB;
            ALTER TABLE writes ADD COLUMN digest BLOB;
            CREATE TABLE threads (
                thread_id TEXT NOT NULL PRIMARY KEY,
                latest_id INTEGER NOT NULL,
                latest_writes INTEGER NOT NULL,
                digest BLOB NOT NULL);
            """);

        var checkpoints = new List<(long RowId, byte[] Digest)>();
        using (var select = Command(connection, transaction, """
            SELECT rowid, thread_id, id, parent_id, step, state_type, state_hash, next_tasks, planner_state, metadata, created_ticks, created_offset_minutes
            FROM checkpoints
            """))
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                checkpoints.Add((reader.GetInt64(0), CheckpointRowDigest.Checkpoint(
                    reader.GetString(1),
                    reader.GetInt64(2),
                    reader.IsDBNull(3) ? null : reader.GetInt64(3),
                    reader.GetInt64(4),
                    reader.GetString(5),
                    (byte[])reader[6],
                    (byte[])reader[7],
                    (byte[])reader[8],
                    (byte[])reader[9],
                    reader.GetInt64(10),
                    reader.GetInt64(11))));
            }
        }

        Update(connection, transaction, "checkpoints", checkpoints);

        var writes = new List<(long RowId, byte[] Digest)>();
        using (var select = Command(connection, transaction, "SELECT rowid, thread_id, checkpoint_id, seq, task_id, node, kind, payload FROM writes"))
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                writes.Add((reader.GetInt64(0), CheckpointRowDigest.Write(
                    reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetString(4), reader.GetString(5), reader.GetInt64(6), (byte[])reader[7])));
            }
        }

        Update(connection, transaction, "writes", writes);

        var heads = new List<(string Thread, long Latest, long Writes)>();
        using (var select = Command(connection, transaction, """
            SELECT h.thread_id, h.latest, (SELECT count(*) FROM writes w WHERE w.thread_id = h.thread_id AND w.checkpoint_id = h.latest)
            FROM (SELECT thread_id, max(id) AS latest FROM checkpoints GROUP BY thread_id) h
            """))
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                heads.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
            }
        }

        using (var insert = Command(connection, transaction, "INSERT INTO threads (thread_id, latest_id, latest_writes, digest) VALUES ($thread, $latest, $writes, $digest)"))
        {
            foreach (var (thread, latest, count) in heads)
            {
                insert.Parameters.Clear();
                insert.Parameters.AddWithValue("$thread", thread);
                insert.Parameters.AddWithValue("$latest", latest);
                insert.Parameters.AddWithValue("$writes", count);
                insert.Parameters.AddWithValue("$digest", CheckpointRowDigest.Head(thread, latest, count));
                insert.ExecuteNonQuery();
            }
        }
        Execute(connection, transaction, "UPDATE graph_schema SET value = '3' WHERE name = 'version'");
    }

    private static void Update(SqliteConnection connection, SqliteTransaction transaction, string table, List<(long RowId, byte[] Digest)> rows)
    {
        using var update = Command(connection, transaction, $"UPDATE {table} SET digest = $digest WHERE rowid = $rowid");
        var digest = update.Parameters.Add("$digest", SqliteType.Blob);
        var rowId = update.Parameters.Add("$rowid", SqliteType.Integer);
        foreach (var row in rows)
        {
            digest.Value = row.Digest;
            rowId.Value = row.RowId;
            update.ExecuteNonQuery();
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }
}
