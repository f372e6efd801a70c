using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Graph.Engine.Checkpoints.Storage;

/// <summary>
/// The SHA-256 stored with every checkpoint, pending-write, thread-head and write-count row (SQLite schema version 3 on, every PostgreSQL schema), over every column of the row
/// in a fixed, length-prefixed order. Reading recomputes it: a row changed on disk (a flipped byte, an edited value,
/// a row moved to another thread or id) no longer matches and is reported, never returned.
/// </summary>
internal static class CheckpointRowDigest
{
    private const byte CheckpointRow = 1;
    private const byte WriteRow = 2;
    private const byte HeadRow = 3;
    private const byte WriteCountRow = 4;

    /// <summary>The digest of a checkpoint row.</summary>
    public static byte[] Checkpoint(
        string threadId,
        long id,
        long? parentId,
        long step,
        string stateType,
        ReadOnlySpan<byte> stateHash,
        ReadOnlySpan<byte> nextTasks,
        ReadOnlySpan<byte> plannerState,
        ReadOnlySpan<byte> metadata,
        long createdTicks,
        long createdOffsetMinutes)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> scratch = stackalloc byte[8];
        hash.AppendData([CheckpointRow]);
        AppendText(hash, threadId);
        AppendLong(hash, scratch, id);
        AppendLong(hash, scratch, parentId ?? -1);
        AppendLong(hash, scratch, step);
        AppendText(hash, stateType);
        AppendBytes(hash, scratch, stateHash);
        AppendBytes(hash, scratch, nextTasks);
        AppendBytes(hash, scratch, plannerState);
        AppendBytes(hash, scratch, metadata);
        AppendLong(hash, scratch, createdTicks);
        AppendLong(hash, scratch, createdOffsetMinutes);
        return hash.GetHashAndReset();
    }

    /// <summary>The digest of a pending-write row.</summary>
    public static byte[] Write(string threadId, long checkpointId, long seq, string taskId, string node, long kind, ReadOnlySpan<byte> payload)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> scratch = stackalloc byte[8];
        hash.AppendData([WriteRow]);
        AppendText(hash, threadId);
        AppendLong(hash, scratch, checkpointId);
        AppendLong(hash, scratch, seq);
        AppendText(hash, taskId);
        AppendText(hash, node);
        AppendLong(hash, scratch, kind);
        AppendBytes(hash, scratch, payload);
        return hash.GetHashAndReset();
    }

    /// <summary>The digest of a thread's head row: its latest checkpoint and how many pending writes that checkpoint has.</summary>
    public static byte[] Head(string threadId, long latestId, long latestWrites) => Count(HeadRow, threadId, latestId, latestWrites);

    /// <summary>The digest of a write-count row: how many pending writes a checkpoint that is not its thread's latest has.</summary>
    public static byte[] WriteCount(string threadId, long checkpointId, long writes) => Count(WriteCountRow, threadId, checkpointId, writes);

    private static byte[] Count(byte row, string threadId, long checkpointId, long writes)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> scratch = stackalloc byte[8];
        hash.AppendData([row]);
        AppendText(hash, threadId);
        AppendLong(hash, scratch, checkpointId);
        AppendLong(hash, scratch, writes);
        return hash.GetHashAndReset();
    }

    private static void AppendLong(IncrementalHash hash, Span<byte> scratch, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(scratch, value);
        hash.AppendData(scratch);
    }

    private static void AppendBytes(IncrementalHash hash, Span<byte> scratch, ReadOnlySpan<byte> bytes)
    {
        AppendLong(hash, scratch, bytes.Length);
        hash.AppendData(bytes);
    }

    private static void AppendText(IncrementalHash hash, string text)
    {
        Span<byte> scratch = stackalloc byte[8];
        AppendBytes(hash, scratch, Encoding.UTF8.GetBytes(text));
    }
}
