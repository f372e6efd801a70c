using System.Security.Cryptography;
using Graph.Engine.Checkpoints;
using Graph.Engine.Checkpoints.Storage;
using Microsoft.Data.Sqlite;

namespace Graph.Engine.Sqlite;

/// <summary>
/// Reads checkpoints (with their state and pending writes) in one read transaction and verifies everything it reads:
/// each row against its digest, each state against its SHA-256, each chunk against its hash. What does not match is a
/// <see cref="CheckpointStoreException"/> naming the thread, the checkpoint and what failed (<see cref="StoreDamage"/>).
/// </summary>
internal static partial class SqliteCheckpointReader
{
    private const string Columns = $"""
        SELECT c.id, c.parent_id, c.step, c.state_type, coalesce(c.state, b.data), c.next_tasks, c.planner_state, c.metadata, c.created_ticks, c.created_offset_minutes,
               coalesce(b.kind, 0), c.state_hash, c.digest, p.data
        FROM checkpoints c LEFT JOIN blobs b ON c.state IS NULL AND b.hash = c.state_hash
        LEFT JOIN shared_properties p ON {SqliteSchema.NamesSharedProperties} AND p.hash = {SqliteSchema.SharedPropertiesHash}
        """;

    private const string Newest = $"{Columns} WHERE c.thread_key = $key ORDER BY c.id DESC LIMIT $limit";
    private const string ById = $"{Columns} WHERE c.thread_key = $key AND c.id = $id ORDER BY c.id DESC LIMIT $limit";
    private const string Before = $"{Columns} WHERE c.thread_key = $key AND c.id < $before ORDER BY c.id DESC LIMIT $limit";
    private const string ByIdBefore = $"{Columns} WHERE c.thread_key = $key AND c.id = $id AND c.id < $before ORDER BY c.id DESC LIMIT $limit";

    public static List<Checkpoint> Read(SqliteConnection connection, string threadId, long? id, long? before, int? limit)
    {
        // A deferred read transaction, begun and ended by the connection's prepared commands.
        Command(connection, "BEGIN").ExecuteNonQuery();
        try
        {
            var checkpoints = ReadInTransaction(connection, threadId, id, before, limit);
            Command(connection, "COMMIT").ExecuteNonQuery();
            return checkpoints;
        }
        finally
        {
            RollBackIfOpen(connection);
        }
    }

    private static List<Checkpoint> ReadInTransaction(SqliteConnection connection, string threadId, long? id, long? before, int? limit)
    {
        // The head row names the thread's key: a thread without one has no rows to read.
        if (ReadHead(connection, threadId) is not { } head)
        {
            return [];
        }

        var command = Command(connection, id.HasValue ? (before.HasValue ? ByIdBefore : ById) : before.HasValue ? Before : Newest);
        command.Parameters.AddWithValue("$key", head.Key);
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
        var states = new List<(byte[] Hash, byte[] Stored, long Kind)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                checkpoints.Add(ReadRow(reader, threadId, out var state));
                states.Add(state);
            }
        }

        Reassemble(connection, checkpoints, states);
        if (checkpoints.Count > 0)
        {
            AttachWrites(connection, head.Key, threadId, checkpoints);
        }

        CheckHead(head, threadId, checkpoints, latestAsked: id is null && before is null && limit != 0);
        if (checkpoints.Count > 0 && checkpoints[^1].Id != head.Latest)
        {
            // Older checkpoints were read (newest first): their counts are in write_counts, the latest's in the head.
            CheckWriteCounts(connection, head.Key, threadId, checkpoints, head.Latest);
        }

        return checkpoints;
    }

    public static List<string> Threads(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT thread_id FROM threads";
        var threads = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            threads.Add(reader.GetString(0));
        }

        threads.Sort(StringComparer.Ordinal);
        return threads;
    }

    private static Checkpoint ReadRow(SqliteDataReader reader, string threadId, out (byte[] Hash, byte[] Stored, long Kind) state)
    {
        var id = reader.GetInt64(0);
        var parentId = reader.IsDBNull(1) ? (long?)null : reader.GetInt64(1);
        var step = reader.GetInt64(2);
        var stateType = reader.GetString(3);
        var stateHash = (byte[])reader[11];
        var nextTasks = (byte[])reader[5];
        var planner = (byte[])reader[6];
        var metadata = (byte[])reader[7];
        var ticks = reader.GetInt64(8);
        var offset = reader.GetInt64(9);
        var digest = reader.IsDBNull(12) ? [] : (byte[])reader[12];
        var expected = CheckpointRowDigest.Checkpoint(threadId, id, parentId, step, stateType, stateHash, nextTasks, planner, metadata, ticks, offset);
        if (!CryptographicOperations.FixedTimeEquals(digest, expected))
        {
            throw StoreDamage.Checkpoint(threadId, id, "its row does not match its digest (a field was changed on disk)");
        }

        if (reader.IsDBNull(4))
        {
            throw StoreDamage.Checkpoint(threadId, id, $"its state {Convert.ToHexString(stateHash)} is missing");
        }

        state = (stateHash, (byte[])reader[4], reader.GetInt64(10));
        var shared = SharedProperties.ForCheckpoint(threadId, id, metadata, reader.IsDBNull(13) ? null : (byte[])reader[13]);
        return StoreDamage.Decoding(threadId, id, "its fields", () => new Checkpoint
        {
            ThreadId = threadId,
            Id = id,
            ParentId = parentId,
            Step = checked((int)step),
            StateType = stateType,
            NextTasks = CheckpointRecordCodec.DecodeTasks(nextTasks),
            PlannerState = planner,
            Metadata = CheckpointRecordCodec.DecodeMetadata(metadata, shared),
            CreatedAt = new DateTimeOffset(ticks, TimeSpan.FromMinutes(offset)),
        });
    }

    /// <summary>Sets each checkpoint's state: a whole blob as it is, a manifest's chunks read (each once per call) and joined; every state checked against its hash.</summary>
    private static void Reassemble(SqliteConnection connection, List<Checkpoint> checkpoints, List<(byte[] Hash, byte[] Stored, long Kind)> states)
    {
        SqliteCommand? command = null;
        SqliteParameter? parameter = null;
        var cache = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            for (var index = 0; index < checkpoints.Count; index++)
            {
                var (hash, stored, kind) = states[index];
                var (threadId, id) = (checkpoints[index].ThreadId, checkpoints[index].Id);
                byte[] state;
                if (kind == StateChunks.RawKind)
                {
                    state = stored;
                }
                else if (kind == StateChunks.ChunkedKind)
                {
                    if (command is null)
                    {
                        command = connection.CreateCommand();
                        command.CommandText = "SELECT data FROM chunks WHERE hash = $hash";
                        parameter = command.Parameters.Add("$hash", SqliteType.Blob);
                    }

                    state = Join(command, parameter!, cache, threadId, id, stored);
                }
                else
                {
                    throw StoreDamage.Checkpoint(threadId, id, $"its state is stored with an unknown kind {kind}");
                }

                if (!CryptographicOperations.FixedTimeEquals(RowHash.Sha256(state), hash))
                {
                    throw StoreDamage.Checkpoint(threadId, id, "its state does not match its SHA-256 (the state was changed on disk)");
                }

                checkpoints[index] = checkpoints[index] with { State = state };
            }
        }
        finally
        {
            command?.Dispose();
        }
    }

    private static byte[] Join(SqliteCommand command, SqliteParameter parameter, Dictionary<string, byte[]> cache, string threadId, long id, byte[] manifest)
    {
        var (total, hashes) = StoreDamage.Decoding(threadId, id, "its state manifest", () => StateChunks.DecodeManifest(manifest));
        var state = new byte[total];
        var offset = 0;
        foreach (var hash in hashes)
        {
            var key = Convert.ToHexString(hash);
            if (!cache.TryGetValue(key, out var chunk))
            {
                parameter.Value = hash;
                chunk = command.ExecuteScalar() as byte[]
                    ?? throw StoreDamage.Checkpoint(threadId, id, $"its state chunk {key} is missing");
                if (!RowHash.Sha256(chunk).AsSpan(0, StateChunks.HashSize).SequenceEqual(hash))
                {
                    throw StoreDamage.Checkpoint(threadId, id, $"its state chunk {key} does not match its hash (the chunk was changed on disk)");
                }

                cache.Add(key, chunk);
            }

            if (offset + chunk.Length > total)
            {
                throw StoreDamage.Checkpoint(threadId, id, $"its state chunks are longer than its recorded length {total}");
            }

            chunk.CopyTo(state, offset);
            offset += chunk.Length;
        }

        if (offset != total)
        {
            throw StoreDamage.Checkpoint(threadId, id, $"its state chunks add up to {offset} bytes; its recorded length is {total}");
        }

        return state;
    }

    private static void AttachWrites(SqliteConnection connection, long key, string threadId, List<Checkpoint> checkpoints)
    {
        var command = Command(connection, """
            SELECT checkpoint_id, seq, task_id, node, kind, payload, digest FROM writes
            WHERE thread_key = $key AND checkpoint_id BETWEEN $low AND $high
            ORDER BY checkpoint_id, seq
            """);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$low", checkpoints[^1].Id);
        command.Parameters.AddWithValue("$high", checkpoints[0].Id);
        var writes = new Dictionary<long, List<PendingWrite>>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var id = reader.GetInt64(0);
                var (seq, task, node, kind, payload) = (reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), (byte[])reader[5]);
                var digest = reader.IsDBNull(6) ? [] : (byte[])reader[6];
                if (!CryptographicOperations.FixedTimeEquals(digest, CheckpointRowDigest.Write(threadId, id, seq, task, node, kind, payload)))
                {
                    throw StoreDamage.Checkpoint(threadId, id, $"its pending write {seq} does not match its digest (a field was changed on disk)");
                }

                if (!Enum.IsDefined((PendingWriteKind)kind))
                {
                    throw StoreDamage.Checkpoint(threadId, id, $"its pending write {seq} has an unknown kind {kind}");
                }

                if (!writes.TryGetValue(id, out var list))
                {
                    list = [];
                    writes.Add(id, list);
                }

                list.Add(new PendingWrite(task, node, (PendingWriteKind)kind, payload));
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
