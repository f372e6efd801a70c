using Graph.Engine.Checkpoints;
using Microsoft.Data.Sqlite;

namespace Graph.Engine.Sqlite;

/// <summary>Reads checkpoints (with their state blob and pending writes) in one read transaction.</summary>
internal static class SqliteCheckpointReader
{
    private const string Columns = """
        SELECT c.id, c.parent_id, c.step, c.state_type, b.data, c.next_tasks, c.planner_state, c.metadata, c.created_ticks, c.created_offset_minutes, b.kind
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
        List<(int Index, byte[] Manifest)>? chunked = null;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var stored = (byte[])reader[4];
                if (reader.GetInt64(10) == SqliteStateChunks.ChunkedKind)
                {
                    (chunked ??= []).Add((checkpoints.Count, stored));
                }

                checkpoints.Add(new Checkpoint
                {
                    ThreadId = threadId,
                    Id = reader.GetInt64(0),
                    ParentId = reader.IsDBNull(1) ? null : reader.GetInt64(1),
                    Step = reader.GetInt32(2),
                    StateType = reader.GetString(3),
                    State = stored,
                    NextTasks = SqliteRecordCodec.DecodeTasks((byte[])reader[5]),
                    PlannerState = (byte[])reader[6],
                    Metadata = SqliteRecordCodec.DecodeMetadata((byte[])reader[7]),
                    CreatedAt = new DateTimeOffset(reader.GetInt64(8), TimeSpan.FromMinutes(reader.GetInt64(9))),
                });
            }
        }

        if (chunked is not null)
        {
            Reassemble(connection, transaction, checkpoints, chunked);
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

    /// <summary>Replaces each chunked state's manifest by the state, read chunk by chunk (each chunk once per call).</summary>
    private static void Reassemble(SqliteConnection connection, SqliteTransaction transaction, List<Checkpoint> checkpoints, List<(int Index, byte[] Manifest)> chunked)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT data FROM chunks WHERE hash = $hash";
        var parameter = command.Parameters.Add("$hash", SqliteType.Blob);
        var cache = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (index, manifest) in chunked)
        {
            var (total, hashes) = SqliteStateChunks.DecodeManifest(manifest);
            var state = new byte[total];
            var offset = 0;
            foreach (var hash in hashes)
            {
                var key = Convert.ToHexString(hash);
                if (!cache.TryGetValue(key, out var chunk))
                {
                    parameter.Value = hash;
                    chunk = command.ExecuteScalar() as byte[]
                        ?? throw new CheckpointStoreException($"Checkpoint {checkpoints[index].Id} of thread '{checkpoints[index].ThreadId}' refers to a missing state chunk {key}.");
                    cache.Add(key, chunk);
                }

                if (offset + chunk.Length > total)
                {
                    throw new CheckpointStoreException($"Checkpoint {checkpoints[index].Id} of thread '{checkpoints[index].ThreadId}' has state chunks longer than its recorded length {total}.");
                }

                chunk.CopyTo(state, offset);
                offset += chunk.Length;
            }

            if (offset != total)
            {
                throw new CheckpointStoreException($"Checkpoint {checkpoints[index].Id} of thread '{checkpoints[index].ThreadId}' has state chunks of {offset} bytes; its recorded length is {total}.");
            }

            checkpoints[index] = checkpoints[index] with { State = state };
        }
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
