using Graph.Engine.Checkpoints;

namespace Graph.Engine.Sqlite;

/// <summary>The operations on whole threads: delete, copy, prune and roll back.</summary>
internal sealed partial class SqliteWriteSession
{
    public bool DeleteThread(string threadId)
    {
        if (ReadHead(threadId) is not { Key: var key })
        {
            return false;
        }

        var hashes = StateHashes("thread_key = $key", ("$key", key));
        ExecuteOnce("DELETE FROM writes WHERE thread_key = $key", ("$key", key));
        var deleted = ExecuteOnce("DELETE FROM checkpoints WHERE thread_key = $key", ("$key", key));
        ExecuteOnce("DELETE FROM write_counts WHERE thread_key = $key", ("$key", key));
        ExecuteOnce("DELETE FROM threads WHERE thread_key = $key", ("$key", key));
        DeleteUnusedBlobs(hashes);
        return deleted > 0;
    }

    public bool CopyThread(string sourceThreadId, string targetThreadId)
    {
        if (ReadHead(sourceThreadId) is not { } source)
        {
            throw new CheckpointStoreException($"Cannot copy thread '{sourceThreadId}': it does not exist.");
        }

        if (ReadHead(targetThreadId) is not null)
        {
            throw new CheckpointStoreException($"Cannot copy thread '{sourceThreadId}' to '{targetThreadId}': the target already exists.");
        }

        var target = CreateThread(targetThreadId, source.Latest, source.Writes);

        // Row by row: the target's rows get digests of their own (the digest covers the thread id).
        using (var rows = Command("""
            SELECT id, parent_id, step, state_type, state_hash, next_tasks, planner_state, metadata, created_ticks, created_offset_minutes, state
            FROM checkpoints WHERE thread_key = $source ORDER BY id
            """))
        {
            Bind(rows, [("$source", source.Key)]);
            var copies = new List<Action>();
            Statements++;
            using (var reader = rows.ExecuteReader())
            {
                while (reader.Read())
                {
                    var (id, parent, step, type) = (reader.GetInt64(0), reader.IsDBNull(1) ? (long?)null : reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3));
                    var (hash, tasks, planner, metadata) = ((byte[])reader[4], (byte[])reader[5], (byte[])reader[6], (byte[])reader[7]);
                    var (ticks, offset) = (reader.GetInt64(8), reader.GetInt64(9));
                    var state = reader.IsDBNull(10) ? (ReadOnlyMemory<byte>?)null : (byte[])reader[10];
                    copies.Add(() => InsertCheckpoint(target, targetThreadId, id, parent, step, type, hash, tasks, planner, metadata, ticks, offset, state));
                }
            }

            copies.ForEach(copy => copy());
        }

        using (var rows = Command("SELECT checkpoint_id, seq, task_id, node, kind, payload FROM writes WHERE thread_key = $source ORDER BY checkpoint_id, seq"))
        {
            Bind(rows, [("$source", source.Key)]);
            var copies = new List<Action>();
            Statements++;
            using (var reader = rows.ExecuteReader())
            {
                while (reader.Read())
                {
                    var (id, seq, task, node, kind, payload) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), (byte[])reader[5]);
                    copies.Add(() => InsertWrite(target, targetThreadId, id, seq, task, node, kind, payload));
                }
            }

            copies.ForEach(copy => copy());
        }

        var counts = new List<(long Id, long Writes)>();
        using (var rows = Command("SELECT checkpoint_id, writes FROM write_counts WHERE thread_key = $source"))
        {
            Bind(rows, [("$source", source.Key)]);
            Statements++;
            using var reader = rows.ExecuteReader();
            while (reader.Read())
            {
                counts.Add((reader.GetInt64(0), reader.GetInt64(1)));
            }
        }

        counts.ForEach(count => WriteCount(target, targetThreadId, count.Id, count.Writes));
        return true;
    }

    public int Prune(string threadId, int keepLast)
    {
        if (ReadHead(threadId) is not { Key: var key })
        {
            return 0;
        }

        var oldestKept = ScalarOnce(
            "SELECT id FROM checkpoints WHERE thread_key = $key ORDER BY id DESC LIMIT 1 OFFSET $skip",
            ("$key", key),
            ("$skip", keepLast - 1));
        if (oldestKept is not long cut)
        {
            return 0;
        }

        var hashes = StateHashes("thread_key = $key AND id < $cut", ("$key", key), ("$cut", cut));
        ExecuteOnce("DELETE FROM writes WHERE thread_key = $key AND checkpoint_id < $cut", ("$key", key), ("$cut", cut));
        ExecuteOnce("DELETE FROM write_counts WHERE thread_key = $key AND checkpoint_id < $cut", ("$key", key), ("$cut", cut));
        var deleted = ExecuteOnce("DELETE FROM checkpoints WHERE thread_key = $key AND id < $cut", ("$key", key), ("$cut", cut));
        DeleteUnusedBlobs(hashes);
        return deleted;
    }

    /// <summary>Deletes the given checkpoints of a thread (never its latest) with their writes and states no longer used.</summary>
    public int DeleteCheckpoints(string threadId, IReadOnlyCollection<long> ids)
    {
        if (ReadHead(threadId) is not { } head)
        {
            return 0;
        }

        var key = head.Key;
        var hashes = new List<byte[]>();
        var deleted = 0;
        foreach (var id in ids.Where(id => id != head.Latest))
        {
            hashes.AddRange(StateHashes("thread_key = $key AND id = $id", ("$key", key), ("$id", id)));
            ExecuteOnce("DELETE FROM writes WHERE thread_key = $key AND checkpoint_id = $id", ("$key", key), ("$id", id));
            ExecuteOnce("DELETE FROM write_counts WHERE thread_key = $key AND checkpoint_id = $id", ("$key", key), ("$id", id));
            deleted += ExecuteOnce("DELETE FROM checkpoints WHERE thread_key = $key AND id = $id", ("$key", key), ("$id", id));
        }

        DeleteUnusedBlobs(hashes);
        return deleted;
    }

    public int DeleteNewerThan(string threadId, long checkpointId)
    {
        if (ReadHead(threadId) is not { Key: var key })
        {
            return 0;
        }

        var hashes = StateHashes("thread_key = $key AND id > $cut", ("$key", key), ("$cut", checkpointId));
        ExecuteOnce("DELETE FROM writes WHERE thread_key = $key AND checkpoint_id > $cut", ("$key", key), ("$cut", checkpointId));
        var deleted = ExecuteOnce("DELETE FROM checkpoints WHERE thread_key = $key AND id > $cut", ("$key", key), ("$cut", checkpointId));
        if (deleted > 0)
        {
            if (Scalar(latestId, ("$key", key)) is long latest)
            {
                var writes = (long)ScalarOnce("SELECT count(*) FROM writes WHERE thread_key = $key AND checkpoint_id = $id", ("$key", key), ("$id", latest))!;
                StoreHead(key, threadId, latest, writes);
                ExecuteOnce("DELETE FROM write_counts WHERE thread_key = $key AND checkpoint_id >= $id", ("$key", key), ("$id", latest));
            }
            else
            {
                ExecuteOnce("DELETE FROM write_counts WHERE thread_key = $key", ("$key", key));
                ExecuteOnce("DELETE FROM threads WHERE thread_key = $key", ("$key", key));
            }

            DeleteUnusedBlobs(hashes);
        }

        return deleted;
    }
}
