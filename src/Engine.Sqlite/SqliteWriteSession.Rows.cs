using Graph.Engine.Checkpoints.Storage;

namespace Graph.Engine.Sqlite;

/// <summary>The rows of the hot path (heads, write counts, checkpoints, pending writes), written with position-bound <see cref="SqliteStatement"/>s.</summary>
internal sealed partial class SqliteWriteSession
{
    /// <summary>The thread's key and head (its latest checkpoint and that one's write count), or null for a thread without a head row.</summary>
    private (long Key, long Latest, long Writes)? ReadHead(string threadId)
    {
        if (heads.TryGetValue(threadId, out var cached))
        {
            return cached;
        }

        Statements++;
        if (readHead.Bind(1, threadId).ReadRow() is not { } row)
        {
            return null;
        }

        var head = (row.First, row.Second, row.Third);
        heads[threadId] = head;
        return head;
    }

    /// <summary>Writes a new thread's head row, as given (nothing left to flush), and returns the thread's new key.</summary>
    private long CreateThread(string threadId, long latest, long writes)
    {
        Statements++;
        var key = insertThread.Bind(1, threadId).Bind(2, latest).Bind(3, writes).Bind(4, CheckpointRowDigest.Head(threadId, latest, writes)).ReadInt64()!.Value;
        heads[threadId] = (key, latest, writes);
        return key;
    }

    private void StoreHead(long key, string threadId, long latest, long writes)
    {
        Statements++;
        writeHead.Bind(1, latest).Bind(2, writes).Bind(3, CheckpointRowDigest.Head(threadId, latest, writes)).Bind(4, key).Execute();
    }

    /// <summary>Records how many pending writes a checkpoint that is not its thread's latest has.</summary>
    private void WriteCount(long key, string threadId, long checkpointId, long writes)
    {
        Statements++;
        writeCount.Bind(1, key).Bind(2, checkpointId).Bind(3, writes).Bind(4, CheckpointRowDigest.WriteCount(threadId, checkpointId, writes)).Execute();
    }

    /// <summary>Inserts a checkpoint row of the thread with <paramref name="key"/> (its digest covers <paramref name="threadId"/>); <paramref name="rowState"/> is its state when the row holds it, null when the state is in <c>blobs</c> (the row's digest covers the state's hash either way).</summary>
    private void InsertCheckpoint(
        long key, string threadId, long id, long? parentId, long step, string stateType, ReadOnlySpan<byte> stateHash, ReadOnlySpan<byte> nextTasks, ReadOnlySpan<byte> plannerState, ReadOnlySpan<byte> metadata, long ticks, long offsetMinutes,
        ReadOnlyMemory<byte>? rowState)
    {
        Statements++;
        insertCheckpoint
            .Bind(1, key).Bind(2, id).Bind(3, parentId).Bind(4, step).Bind(5, stateType).Bind(6, stateHash).Bind(7, nextTasks)
            .Bind(8, plannerState).Bind(9, metadata).Bind(10, ticks).Bind(11, offsetMinutes)
            .Bind(12, CheckpointRowDigest.Checkpoint(threadId, id, parentId, step, stateType, stateHash, nextTasks, plannerState, metadata, ticks, offsetMinutes))
            .Bind(13, rowState)
            .Execute();
    }

    private void InsertWrite(long key, string threadId, long checkpointId, long seq, string taskId, string node, long kind, ReadOnlySpan<byte> payload)
    {
        Statements++;
        insertWrite
            .Bind(1, key).Bind(2, checkpointId).Bind(3, seq).Bind(4, taskId).Bind(5, node).Bind(6, kind).Bind(7, payload)
            .Bind(8, CheckpointRowDigest.Write(threadId, checkpointId, seq, taskId, node, kind, payload))
            .Execute();
    }

    /// <summary>Prepares a statement of the hot path (its parameters are bound by position, in order of first appearance).</summary>
    private SqliteStatement PrepareHot(string sql)
    {
        var statement = new SqliteStatement(connection, sql);
        hot.Add(statement);
        return statement;
    }
}
