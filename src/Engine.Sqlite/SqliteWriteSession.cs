using Graph.Engine.Checkpoints;
using Graph.Engine.Checkpoints.Storage;
using Microsoft.Data.Sqlite;

namespace Graph.Engine.Sqlite;

/// <summary>
/// The writer connection's prepared statements and the operations of the store, applied inside the batch
/// transaction the writer opened. Used by the writer loop only (one thread at a time).
/// </summary>
internal sealed partial class SqliteWriteSession : IDisposable
{
    private readonly SqliteConnection connection;
    private readonly List<SqliteCommand> commands = [];
    private readonly List<SqliteStatement> hot = [];
    private readonly SqliteCommand latestId;
    private readonly SqliteStatement readHead;
    private readonly SqliteStatement insertThread;
    private readonly SqliteStatement writeHead;
    private readonly SqliteStatement writeCount;
    private readonly SqliteStatement insertBlob;
    private readonly SqliteStatement insertShared;
    private readonly SqliteStatement insertCheckpoint;
    private readonly SqliteCommand checkpointExists;
    private readonly SqliteCommand deleteTaskWrites;
    private readonly SqliteCommand nextSeq;
    private readonly SqliteStatement insertWrite;
    private readonly SqliteCommand blobExists;
    private readonly SqliteCommand insertChunk;
    private readonly SqliteCommand unusedBlob;
    private readonly SqliteCommand deleteBlob;
    private readonly SqliteCommand releaseChunk;
    private readonly SqliteCommand deleteUnusedChunk;
    private readonly SqliteStatement dataVersion;

    public SqliteWriteSession(SqliteConnection connection)
    {
        this.connection = connection;
        latestId = Prepare("SELECT max(id) FROM checkpoints WHERE thread_key = $key");
        readHead = PrepareHot("SELECT thread_key, latest_id, latest_writes FROM threads WHERE thread_id = $thread");
        insertThread = PrepareHot("INSERT INTO threads (thread_id, latest_id, latest_writes, digest) VALUES ($thread, $latest, $writes, $digest) RETURNING thread_key");
        writeHead = PrepareHot("UPDATE threads SET latest_id = $latest, latest_writes = $writes, digest = $digest WHERE thread_key = $key");
        writeCount = PrepareHot("""
            INSERT INTO write_counts (thread_key, checkpoint_id, writes, digest) VALUES ($key, $id, $writes, $digest)
            ON CONFLICT (thread_key, checkpoint_id) DO UPDATE SET writes = excluded.writes, digest = excluded.digest
            """);
        blobExists = Prepare("SELECT 1 FROM blobs WHERE hash = $hash");
        insertBlob = PrepareHot("INSERT INTO blobs (hash, data, kind) VALUES ($hash, $data, $kind) ON CONFLICT (hash) DO NOTHING");
        insertShared = PrepareHot("INSERT INTO shared_properties (hash, data) VALUES ($hash, $data) ON CONFLICT (hash) DO NOTHING");
        insertChunk = Prepare("INSERT INTO chunks (hash, data, refs) VALUES ($hash, $data, 1) ON CONFLICT (hash) DO UPDATE SET refs = refs + 1");
        unusedBlob = Prepare("SELECT kind, data FROM blobs WHERE hash = $hash AND NOT EXISTS (SELECT 1 FROM checkpoints WHERE state_hash = $hash AND state IS NULL)");
        deleteBlob = Prepare("DELETE FROM blobs WHERE hash = $hash");
        releaseChunk = Prepare("UPDATE chunks SET refs = refs - 1 WHERE hash = $hash");
        deleteUnusedChunk = Prepare("DELETE FROM chunks WHERE hash = $hash AND refs <= 0");
        insertCheckpoint = PrepareHot("""
            INSERT INTO checkpoints (thread_key, id, parent_id, step, state_type, state_hash, next_tasks, planner_state, metadata, created_ticks, created_offset_minutes, digest, state)
            VALUES ($key, $id, $parent, $step, $type, $hash, $tasks, $planner, $metadata, $ticks, $offset, $digest, $state)
            """);
        checkpointExists = Prepare("SELECT 1 FROM checkpoints WHERE thread_key = $key AND id = $id");
        deleteTaskWrites = Prepare("DELETE FROM writes WHERE thread_key = $key AND checkpoint_id = $id AND task_id = $task AND kind = $kind");
        nextSeq = Prepare("SELECT coalesce(max(seq), 0) + 1 FROM writes WHERE thread_key = $key AND checkpoint_id = $id");
        insertWrite = PrepareHot("""
            INSERT INTO writes (thread_key, checkpoint_id, seq, task_id, node, kind, payload, digest)
            VALUES ($key, $id, $seq, $task, $node, $kind, $payload, $digest)
            """);
        dataVersion = PrepareHot("PRAGMA data_version");
    }

    /// <summary>How many statements this session has run.</summary>
    public long Statements { get; private set; }

    public bool Put(Checkpoint checkpoint)
    {
        var head = ReadHead(checkpoint.ThreadId);
        if (head is { } found && found.Latest >= checkpoint.Id)
        {
            throw Checkpoint.OutOfOrder(checkpoint, found.Latest);
        }

        // The parent is almost always the head: no existence query for it. A thread without a head has no checkpoint.
        if (checkpoint.ParentId is { } parent && parent != head?.Latest
            && (head is null || Scalar(checkpointExists, ("$key", head.Value.Key), ("$id", parent)) is null))
        {
            throw Checkpoint.MissingParent(checkpoint);
        }

        var state = checkpoint.State;
        var hash = RowHash.Sha256(state.Span);
        var inRow = state.Length is > 0 and <= SqliteSchema.RowStateLimit;
        if (!inRow)
        {
            StoreState(hash, state);
        }

        // A new thread's head row is written first (its key names the rows), as it will stand after this put.
        var key = head?.Key ?? CreateThread(checkpoint.ThreadId, checkpoint.Id, checkpoint.PendingWrites.Count);
        InsertCheckpoint(
            key,
            checkpoint.ThreadId,
            checkpoint.Id,
            checkpoint.ParentId,
            checkpoint.Step,
            checkpoint.StateType,
            hash,
            CheckpointRecordCodec.EncodeTasks(checkpoint.NextTasks),
            checkpoint.PlannerState.Span,
            EncodeMetadata(checkpoint.Metadata),
            checkpoint.CreatedAt.Ticks,
            (long)checkpoint.CreatedAt.Offset.TotalMinutes,
            inRow ? state : (ReadOnlyMemory<byte>?)null);
        var writes = checkpoint.PendingWrites.Count > 0 ? InsertWrites(key, checkpoint.ThreadId, checkpoint.Id, checkpoint.PendingWrites, none: true) : 0;
        if (head is { Writes: > 0 } previous)
        {
            // The previous latest's writes are counted in write_counts from now on.
            WriteCount(key, checkpoint.ThreadId, previous.Latest, previous.Writes);
        }

        if (head is not null)
        {
            SetHead(checkpoint.ThreadId, key, checkpoint.Id, writes);
        }

        return true;
    }

    public bool PutWrites(string threadId, long checkpointId, IReadOnlyList<PendingWrite> writes)
    {
        // The head names the latest checkpoint, where writes almost always go: no existence query for it.
        // A thread without a head has no checkpoint.
        if (ReadHead(threadId) is not { } head)
        {
            throw Checkpoint.UnknownCheckpoint(threadId, checkpointId);
        }

        var latest = head.Latest == checkpointId;
        if (!latest && Scalar(checkpointExists, ("$key", head.Key), ("$id", checkpointId)) is null)
        {
            throw Checkpoint.UnknownCheckpoint(threadId, checkpointId);
        }

        var added = InsertWrites(head.Key, threadId, checkpointId, writes, none: latest && head.Writes == 0);
        if (latest)
        {
            SetHead(threadId, head.Key, checkpointId, head.Writes + added);
        }
        else
        {
            WriteCount(head.Key, threadId, checkpointId, (long)ScalarOnce("SELECT count(*) FROM writes WHERE thread_key = $key AND checkpoint_id = $id", ("$key", head.Key), ("$id", checkpointId))!);
        }

        return true;
    }

    public void Dispose()
    {
        foreach (var command in commands)
        {
            command.Dispose();
        }

        foreach (var statement in hot)
        {
            statement.Dispose();
        }
    }

    /// <summary>Stores writes (replacing earlier ones of the same task and kind); returns how many rows the checkpoint gained.</summary>
    /// <remarks>
    /// <paramref name="none"/>: the checkpoint is known to have no writes yet (a new checkpoint, or the latest one whose
    /// head counts none), so there is nothing to replace and numbering starts at 1 without a query.
    /// </remarks>
    private int InsertWrites(long key, string threadId, long checkpointId, IReadOnlyList<PendingWrite> writes, bool none = false)
    {
        var replaced = new HashSet<(string, PendingWriteKind)>();
        var added = writes.Count;
        foreach (var write in writes)
        {
            ArgumentNullException.ThrowIfNull(write);
            if (replaced.Add((write.TaskId, write.Kind)) && !none)
            {
                added -= Execute(deleteTaskWrites, ("$key", key), ("$id", checkpointId), ("$task", write.TaskId), ("$kind", (long)write.Kind));
            }
        }

        var seq = none ? 1L : (long)Scalar(nextSeq, ("$key", key), ("$id", checkpointId))!;
        foreach (var write in writes)
        {
            InsertWrite(key, threadId, checkpointId, seq++, write.TaskId, write.Node, (long)write.Kind, write.Payload.Span);
        }

        return added;
    }

    private SqliteCommand Prepare(string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        commands.Add(command);
        return command;
    }

    private SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private int ExecuteOnce(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql);
        return Execute(command, parameters);
    }

    private object? ScalarOnce(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql);
        return Scalar(command, parameters);
    }

    private int Execute(SqliteCommand command, params (string Name, object? Value)[] parameters)
    {
        Bind(command, parameters);
        Statements++;
        return command.ExecuteNonQuery();
    }

    private object? Scalar(SqliteCommand command, params (string Name, object? Value)[] parameters)
    {
        Bind(command, parameters);
        Statements++;
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    private static void Bind(SqliteCommand command, (string Name, object? Value)[] parameters)
    {
        if (command.Parameters.Count != parameters.Length)
        {
            command.Parameters.Clear();
            foreach (var (name, _) in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
        }
    }
}
