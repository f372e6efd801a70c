using Graph.Engine.Checkpoints;
using Microsoft.Data.Sqlite;

namespace Graph.Engine.Sqlite;

/// <summary>Reads checkpoints (with their state blob and pending writes) in one read transaction.</summary>
internal static class SqliteCheckpointReader
{
    private const string Columns = """
        SELECT c.id, c.parent_id, c.step, c.state_type, b.data, c.next_tasks, c.planner_state, c.metadata, c.created_ticks, c.created_offset_minutes
        FROM checkpoints c JOIN blobs b ON b.hash = c.state_hash
        """;

    public static List<Checkpoint> Read(SqliteConnection connection, string threadId, long? id, long? before, int? limit)
    {
        using var transaction = connection.BeginTransaction(deferred: true);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"{Columns} WHERE c.thread_id = $thread"
            + (id.HasValue ? " AND c.id = $id" : string.Empty)
            + (before.HasValue ? " AND c.id < $before" : string.Empty)
            + " ORDER BY c.id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$thread", threadId);
        command.Parameters.AddWithValue("$limit", limit ?? -1);
        if (id.HasValue)
        {
            command.Parameters.AddWithValue("$id", id.Value);
        }

        if (before.HasValue)
        {
            command.Parameters.AddWithValue("$before", before.Value);
        }

        var checkpoints = new List<Checkpoint>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                checkpoints.Add(new Checkpoint
                {
                    ThreadId = threadId,
                    Id = reader.GetInt64(0),
                    ParentId = reader.IsDBNull(1) ? null : reader.GetInt64(1),
                    Step = reader.GetInt32(2),
                    StateType = reader.GetString(3),
                    State = (byte[])reader[4],
                    NextTasks = SqliteRecordCodec.DecodeTasks((byte[])reader[5]),
                    PlannerState = (byte[])reader[6],
                    Metadata = SqliteRecordCodec.DecodeMetadata((byte[])reader[7]),
                    CreatedAt = new DateTimeOffset(reader.GetInt64(8), TimeSpan.FromMinutes(reader.GetInt64(9))),
                });
            }
        }

        if (checkpoints.Count > 0)
        {
            AttachWrites(connection, transaction, threadId, checkpoints);
        }

        transaction.Commit();
        return checkpoints;
    }

    public static List<string> Threads(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT thread_id FROM checkpoints";
        var threads = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            threads.Add(reader.GetString(0));
        }

        threads.Sort(StringComparer.Ordinal);
        return threads;
    }

    private static void AttachWrites(SqliteConnection connection, SqliteTransaction transaction, string threadId, List<Checkpoint> checkpoints)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT checkpoint_id, task_id, node, kind, payload FROM writes
            WHERE thread_id = $thread AND checkpoint_id BETWEEN $low AND $high
            ORDER BY checkpoint_id, seq
            """;
        command.Parameters.AddWithValue("$thread", threadId);
        command.Parameters.AddWithValue("$low", checkpoints[^1].Id);
        command.Parameters.AddWithValue("$high", checkpoints[0].Id);
        var writes = new Dictionary<long, List<PendingWrite>>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var id = reader.GetInt64(0);
                if (!writes.TryGetValue(id, out var list))
                {
                    list = [];
                    writes.Add(id, list);
                }

                list.Add(new PendingWrite(reader.GetString(1), reader.GetString(2), (PendingWriteKind)reader.GetInt64(3), (byte[])reader[4]));
            }
        }

        for (var i = 0; i < checkpoints.Count; i++)
        {
            if (writes.TryGetValue(checkpoints[i].Id, out var list))
            {
                checkpoints[i] = checkpoints[i] with { PendingWrites = list.ToArray() };
            }
        }
    }
}
