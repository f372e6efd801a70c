using System.Buffers;
using System.Buffers.Binary;
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

    /// <summary>Rows whose digested fields fit this many bytes are laid out on the stack; larger ones in a pooled buffer.</summary>
    private const int StackLimit = 512;

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
        var length = 1 + Fields.TextLength(threadId) + (3 * 8) + Fields.TextLength(stateType)
            + (4 * 8) + stateHash.Length + nextTasks.Length + plannerState.Length + metadata.Length + (2 * 8);
        byte[]? rented = null;
        var fields = new Fields(length <= StackLimit ? stackalloc byte[StackLimit] : rented = ArrayPool<byte>.Shared.Rent(length));
        fields.Byte(CheckpointRow);
        fields.Text(threadId);
        fields.Long(id);
        fields.Long(parentId ?? -1);
        fields.Long(step);
        fields.Text(stateType);
        fields.Bytes(stateHash);
        fields.Bytes(nextTasks);
        fields.Bytes(plannerState);
        fields.Bytes(metadata);
        fields.Long(createdTicks);
        fields.Long(createdOffsetMinutes);
        return fields.Hash(rented);
    }

    /// <summary>The digest of a pending-write row.</summary>
    public static byte[] Write(string threadId, long checkpointId, long seq, string taskId, string node, long kind, ReadOnlySpan<byte> payload)
    {
        var length = 1 + Fields.TextLength(threadId) + (2 * 8) + Fields.TextLength(taskId) + Fields.TextLength(node) + 8 + 8 + payload.Length;
        byte[]? rented = null;
        var fields = new Fields(length <= StackLimit ? stackalloc byte[StackLimit] : rented = ArrayPool<byte>.Shared.Rent(length));
        fields.Byte(WriteRow);
        fields.Text(threadId);
        fields.Long(checkpointId);
        fields.Long(seq);
        fields.Text(taskId);
        fields.Text(node);
        fields.Long(kind);
        fields.Bytes(payload);
        return fields.Hash(rented);
    }

    /// <summary>The digest of a thread's head row: its latest checkpoint and how many pending writes that checkpoint has.</summary>
    public static byte[] Head(string threadId, long latestId, long latestWrites) => Count(HeadRow, threadId, latestId, latestWrites);

    /// <summary>The digest of a write-count row: how many pending writes a checkpoint that is not its thread's latest has.</summary>
    public static byte[] WriteCount(string threadId, long checkpointId, long writes) => Count(WriteCountRow, threadId, checkpointId, writes);

    private static byte[] Count(byte row, string threadId, long checkpointId, long writes)
    {
        var length = 1 + Fields.TextLength(threadId) + (2 * 8);
        byte[]? rented = null;
        var fields = new Fields(length <= StackLimit ? stackalloc byte[StackLimit] : rented = ArrayPool<byte>.Shared.Rent(length));
        fields.Byte(row);
        fields.Text(threadId);
        fields.Long(checkpointId);
        fields.Long(writes);
        return fields.Hash(rented);
    }

    /// <summary>
    /// A row's fields laid out in the digested order (a byte for the row kind, integers as 8 bytes little-endian, byte
    /// strings and UTF-8 text after their 8-byte length), hashed in one call.
    /// </summary>
    private ref struct Fields(Span<byte> buffer)
    {
        private readonly Span<byte> buffer = buffer;
        private int position;

        public static int TextLength(string text) => 8 + Encoding.UTF8.GetByteCount(text);

        public void Byte(byte value) => buffer[position++] = value;

        public void Long(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(buffer[position..], value);
            position += 8;
        }

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            Long(bytes.Length);
            bytes.CopyTo(buffer[position..]);
            position += bytes.Length;
        }

        public void Text(string text)
        {
            var length = Encoding.UTF8.GetBytes(text, buffer[(position + 8)..]);
            Long(length);
            position += length;
        }

        /// <summary>The SHA-256 of the fields written; returns <paramref name="rented"/> (the buffer, when pooled) to the pool.</summary>
        public readonly byte[] Hash(byte[]? rented)
        {
            var digest = RowHash.Sha256(buffer[..position]);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }

            return digest;
        }
    }
}
