using Graph.Engine.Checkpoints;

namespace Graph.Engine.Sqlite;

/// <summary>The operations on whole threads: delete, copy, prune and roll back.</summary>
internal sealed partial class SqliteWriteSession
{
    public bool DeleteThread(string threadId)
    {
        var hashes = StateHashes("thread_id = $thread", ("$thread", threadId));
        ExecuteOnce("DELETE FROM writes WHERE thread_id = $thread", ("$thread", threadId));
        var deleted = ExecuteOnce("DELETE FROM checkpoints WHERE thread_id = $thread", ("$thread", threadId));
        ExecuteOnce("DELETE FROM threads WHERE thread_id = $thread", ("$thread", threadId));
        ExecuteOnce("DELETE FROM write_counts WHERE thread_id = $thread", ("$thread", threadId));
        DeleteUnusedBlobs(hashes);
        return deleted > 0;
    }

    public bool CopyThread(string sourceThreadId, string targetThreadId)
    {
        if (Scalar(latestId, ("$thread", sourceThreadId)) is null)
        {
            throw new CheckpointStoreException($"Cannot copy thread '{sourceThreadId}': it does not exist.");
        }

        if (Scalar(latestId, ("$thread", targetThreadId)) is not null)
        {
            throw new CheckpointStoreException($"Cannot copy thread '{sourceThreadId}' to '{targetThreadId}': the target already exists.");
        }

        // Row by row: the target's rows get digests of their own (the digest covers the thread id).
        using (var rows = Command("""
            SELECT id, parent_id, step, state_type, state_hash, next_tasks, planner_state, metadata, created_ticks, created_offset_minutes, state
            FROM checkpoints WHERE thread_id = $source ORDER BY id
            """))
        {
            Bind(rows, [("$source", sourceThreadId)]);
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
                    copies.Add(() => InsertCheckpoint(targetThreadId, id, parent, step, type, hash, tasks, planner, metadata, ticks, offset, state));
                }
            }

            copies.ForEach(copy => copy());
        }

        using (var rows = Command("SELECT checkpoint_id, seq, task_id, node, kind, payload FROM writes WHERE thread_id = $source ORDER BY checkpoint_id, seq"))
        {
            Bind(rows, [("$source", sourceThreadId)]);
            var copies = new List<Action>();
            Statements++;
            using (var reader = rows.ExecuteReader())
            {
                while (reader.Read())
                {
                    var (id, seq, task, node, kind, payload) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), (byte[])reader[5]);
                    copies.Add(() => InsertWrite(targetThreadId, id, seq, task, node, kind, payload));
                }
            }

            copies.ForEach(copy => copy());
        }

        var counts = new List<(long Id, long Writes)>();
        using (var rows = Command("SELECT checkpoint_id, writes FROM write_counts WHERE thread_id = $source"))
        {
            Bind(rows, [("$source", sourceThreadId)]);
            Statements++;
            using var reader = rows.ExecuteReader();
            while (reader.Read())
            {
                counts.Add((reader.GetInt64(0), reader.GetInt64(1)));
            }
        }

        counts.ForEach(count => WriteCount(targetThreadId, count.Id, count.Writes));
        var source = ReadHead(sourceThreadId)!.Value;
        StoreHead(targetThreadId, source.Latest, source.Writes); // Reshaping forgets the cache afterwards
        return true;
    }

    public int Prune(string threadId, int keepLast)
    {
        var oldestKept = ScalarOnce(
            "SELECT id FROM checkpoints WHERE thread_id = $thread ORDER BY id DESC LIMIT 1 OFFSET $skip",
            ("$thread", threadId),
            ("$skip", keepLast - 1));
        if (oldestKept is not long cut)
        {
            return 0;
        }

        var hashes = StateHashes("thread_id = $thread AND id < $cut", ("$thread", threadId), ("$cut", cut));
        ExecuteOnce("DELETE FROM writes WHERE thread_id = $thread AND checkpoint_id < $cut", ("$thread", threadId), ("$cut", cut));
        ExecuteOnce("DELETE FROM write_counts WHERE thread_id = $thread AND checkpoint_id < $cut", ("$thread", threadId), ("$cut", cut));
        var deleted = ExecuteOnce("DELETE FROM checkpoints WHERE thread_id = $thread AND id < $cut", ("$thread", threadId), ("$cut", cut));
        DeleteUnusedBlobs(hashes);
        return deleted;
    }

    /// <summary>Deletes the given checkpoints of a thread (never its latest) with their writes and states no longer used.</summary>
    public int DeleteCheckpoints(string threadId, IReadOnlyCollection<long> ids)
    {
        var latest = ReadHead(threadId)?.Latest;
        var hashes = new List<byte[]>();
        var deleted = 0;
        foreach (var id in ids.Where(id => id != latest))
        {
            hashes.AddRange(StateHashes("thread_id = $thread AND id = $id", ("$thread", threadId), ("$id", id)));
            ExecuteOnce("DELETE FROM writes WHERE thread_id = $thread AND checkpoint_id = $id", ("$thread", threadId), ("$id", id));
            ExecuteOnce("DELETE FROM write_counts WHERE thread_id = $thread AND checkpoint_id = $id", ("$thread", threadId), ("$id", id));
            deleted += ExecuteOnce("DELETE FROM checkpoints WHERE thread_id = $thread AND id = $id", ("$thread", threadId), ("$id", id));
        }

        DeleteUnusedBlobs(hashes);
        return deleted;
    }

    public int DeleteNewerThan(string threadId, long checkpointId)
    {
        var hashes = StateHashes("thread_id = $thread AND id > $cut", ("$thread", threadId), ("$cut", checkpointId));
        ExecuteOnce("DELETE FROM writes WHERE thread_id = $thread AND checkpoint_id > $cut", ("$thread", threadId), ("$cut", checkpointId));
        var deleted = ExecuteOnce("DELETE FROM checkpoints WHERE thread_id = $thread AND id > $cut", ("$thread", threadId), ("$cut", checkpointId));
        if (deleted > 0)
        {
            if (Scalar(latestId, ("$thread", threadId)) is long latest)
            {
                var writes = (long)ScalarOnce("SELECT count(*) FROM writes WHERE thread_id = $thread AND checkpoint_id = $id", ("$thread", threadId), ("$id", latest))!;
                StoreHead(threadId, latest, writes);
                ExecuteOnce("DELETE FROM write_counts WHERE thread_id = $thread AND checkpoint_id >= $id", ("$thread", threadId), ("$id", latest));
            }
            else
            {
                ExecuteOnce("DELETE FROM threads WHERE thread_id = $thread", ("$thread", threadId));
                ExecuteOnce("DELETE FROM write_counts WHERE thread_id = $thread", ("$thread", threadId));
            }

            DeleteUnusedBlobs(hashes);
        }

        return deleted;
    }
}
