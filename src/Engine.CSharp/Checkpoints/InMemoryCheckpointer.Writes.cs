using System.Buffers.Binary;
using Graph.Engine.Checkpoints.Storage;

namespace Graph.Engine.Checkpoints;

/// <summary>The pending-write records of a thread's history.</summary>
public sealed partial class InMemoryCheckpointer
{
    /// <summary>Pending writes: records chained newest first from their checkpoint's entry.</summary>
    private sealed partial class History
    {
        /// <summary>Appends one batch of encoded writes (<see cref="ArenaCodec.EncodeWrite"/>) to entry <paramref name="index"/>.</summary>
        public void AddWrites(int index, ReadOnlySpan<byte> writes)
        {
            ref var entry = ref entries[index];
            var batch = entry.Batches++;
            while (!writes.IsEmpty)
            {
                var length = ArenaCodec.WriteLengthSize + ArenaCodec.WriteBodyLength(writes);
                var at = Reserve(WriteHeaderSize + length);
                BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(at), entry.LastWrite);
                BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(at + 4), batch);
                writes[..length].CopyTo(buffer.AsSpan(at + WriteHeaderSize));
                entry.LastWrite = at;
                writes = writes[length..];
            }
        }

        /// <summary>The write records of an entry, oldest first.</summary>
        private List<(int Offset, int Length)> WriteRecords(in Entry entry)
        {
            var records = new List<(int Offset, int Length)>();
            for (var at = entry.LastWrite; at != NoRecord; at = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(at)))
            {
                var length = WriteHeaderSize + ArenaCodec.WriteLengthSize + ArenaCodec.WriteBodyLength(buffer.AsSpan(at + WriteHeaderSize));
                records.Add((at, length));
            }

            records.Reverse();
            return records;
        }

        /// <summary>The writes in recorded order, each write of an earlier batch dropped when a later batch has its task and kind.</summary>
        private IReadOnlyList<PendingWrite> ReadWrites(in Entry entry)
        {
            if (entry.LastWrite == NoRecord)
            {
                return [];
            }

            var records = WriteRecords(entry);
            var decoded = new (PendingWrite Write, int Batch)[records.Count];
            for (var i = 0; i < records.Count; i++)
            {
                var (offset, length) = records[i];
                var body = buffer.AsSpan(offset + WriteHeaderSize + ArenaCodec.WriteLengthSize, length - WriteHeaderSize - ArenaCodec.WriteLengthSize);
                decoded[i] = (ArenaCodec.DecodeWrite(body, out _, out _), BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(offset + 4)));
            }

            var result = new List<PendingWrite>(decoded.Length);
            for (var i = 0; i < decoded.Length; i++)
            {
                var (write, batch) = decoded[i];
                var replaced = false;
                for (var j = i + 1; j < decoded.Length && !replaced; j++)
                {
                    replaced = decoded[j].Batch > batch
                        && decoded[j].Write.Kind == write.Kind
                        && string.Equals(decoded[j].Write.TaskId, write.TaskId, StringComparison.Ordinal);
                }

                if (!replaced)
                {
                    result.Add(write);
                }
            }

            return result.ToArray();
        }
    }

    /// <summary>Where one checkpoint's record, shared properties and newest pending write are in its thread's buffer.</summary>
    private struct Entry
    {
        public long Id;
        public int Offset;
        public int Length;
        public int PropertiesOffset;
        public int PropertiesLength;
        public int LastWrite;
        public int Batches;
    }
}
