using System.Buffers.Binary;
using Graph.Engine.Checkpoints.Storage;

namespace Graph.Engine.Checkpoints;

/// <summary>How a thread's checkpoints and pending writes are held: encoded in one byte buffer per thread.</summary>
public sealed partial class InMemoryCheckpointer
{
    /// <summary>
    /// One thread's history: its records in a growing byte buffer (<see cref="ArenaCodec"/>) and an array of
    /// reference-free entries in id order, so a kept checkpoint costs the garbage collector no object to trace.
    /// Not thread-safe: the store's lock guards it.
    /// </summary>
    /// <remarks>
    /// A pending write is a record <c>[previous write][batch][length][body]</c> chained from its checkpoint's entry, newest
    /// first. A later batch replaces a write of an earlier one with the same task and kind (the rule of
    /// <see cref="ICheckpointer.PutWritesAsync"/>), applied when reading. Deleting checkpoints leaves dead bytes; once they are more
    /// than the live ones the buffer is rewritten with the live records only.
    /// </remarks>
    private sealed partial class History(string threadId)
    {
        private const int WriteHeaderSize = 8;
        private const int NoRecord = -1;
        private const int MaxHintBytes = 1 << 20;
        private byte[] buffer = [];
        private int used;
        private int dead;
        private Entry[] entries = [];
        private int count;

        /// <summary>A new history with room for <paramref name="bytes"/> bytes and <paramref name="records"/> checkpoints.</summary>
        public History(string threadId, int bytes, int records)
            : this(threadId)
        {
            if (bytes is > 0 and <= MaxHintBytes)
            {
                buffer = new byte[(bytes + (bytes >> 3) + 63) & ~63];
                entries = new Entry[records + 1];
            }
        }

        /// <summary>The bytes this history's live records take (a size hint for the next new thread).</summary>
        public int LiveBytes => used - dead;

        public string ThreadId { get; } = threadId;

        public int Count => count;

        public long LatestId => entries[count - 1].Id;

        public long IdAt(int index) => entries[index].Id;

        /// <summary>The position of checkpoint <paramref name="id"/> (ids ascend), or -1.</summary>
        public int IndexOf(long id)
        {
            if (count > 0 && entries[count - 1].Id == id)
            {
                return count - 1;
            }

            int low = 0, high = count - 1;
            while (low <= high)
            {
                var mid = (low + high) >>> 1;
                var at = entries[mid].Id;
                if (at == id)
                {
                    return mid;
                }

                if (at < id)
                {
                    low = mid + 1;
                }
                else
                {
                    high = mid - 1;
                }
            }

            return -1;
        }

        /// <summary>
        /// Appends a checkpoint record (its properties section starting at <paramref name="propertiesStart"/>) and the
        /// writes that follow it in <paramref name="writes"/>. A record whose properties equal the previous record's
        /// shares them.
        /// </summary>
        public void Add(long id, ReadOnlySpan<byte> record, int propertiesStart, ReadOnlySpan<byte> writes)
        {
            var properties = record[propertiesStart..];
            var entry = new Entry { Id = id, LastWrite = NoRecord };
            if (count > 0 && entries[count - 1] is var previous && Properties(previous).SequenceEqual(properties))
            {
                entry.PropertiesOffset = previous.PropertiesOffset;
                entry.PropertiesLength = previous.PropertiesLength;
                record = record[..propertiesStart];
            }
            else
            {
                entry.PropertiesOffset = NoRecord;
                entry.PropertiesLength = properties.Length;
            }

            entry.Offset = Append(record);
            entry.Length = record.Length;
            if (entry.PropertiesOffset == NoRecord)
            {
                entry.PropertiesOffset = entry.Offset + propertiesStart;
            }

            if (count == entries.Length)
            {
                Array.Resize(ref entries, Math.Max(4, count * 2));
            }

            entries[count++] = entry;
            if (!writes.IsEmpty)
            {
                AddWrites(count - 1, writes);
            }
        }

        /// <summary>Decodes entry <paramref name="index"/> with its pending writes.</summary>
        public Checkpoint Read(int index)
        {
            var entry = entries[index];
            return ArenaCodec.DecodeCheckpoint(ThreadId, entry.Id, buffer.AsSpan(entry.Offset, entry.Length), Properties(entry), ReadWrites(entry));
        }

        /// <summary>Deletes the entries <paramref name="doomed"/> selects; returns how many.</summary>
        public int RemoveWhere(Func<long, bool> doomed)
        {
            var kept = 0;
            for (var i = 0; i < count; i++)
            {
                if (doomed(entries[i].Id))
                {
                    dead += Size(entries[i]);
                }
                else
                {
                    entries[kept++] = entries[i];
                }
            }

            var removed = count - kept;
            count = kept;
            if (removed > 0 && dead > used - dead)
            {
                var live = new History(ThreadId);
                CopyTo(live);
                (buffer, used, dead, entries) = (live.buffer, live.used, 0, live.entries);
            }

            return removed;
        }

        /// <summary>A copy under another thread id with the live records only, sharing nothing with this one.</summary>
        public History CopyAs(string threadId)
        {
            var copy = new History(threadId);
            CopyTo(copy);
            return copy;
        }

        private void CopyTo(History target)
        {
            target.buffer = new byte[Math.Max(used - dead, 0)];
            target.entries = new Entry[Math.Max(count, 4)];
            for (var i = 0; i < count; i++)
            {
                var entry = entries[i];
                var record = buffer.AsSpan(entry.Offset, entry.Length);
                var shared = entry.PropertiesOffset < entry.Offset || entry.PropertiesOffset >= entry.Offset + entry.Length;
                var propertiesStart = shared ? record.Length : entry.PropertiesOffset - entry.Offset;
                var properties = Properties(entry);
                Span<byte> joined = shared ? new byte[record.Length + properties.Length] : default;
                if (shared)
                {
                    record.CopyTo(joined);
                    properties.CopyTo(joined[record.Length..]);
                    record = joined;
                }

                target.Add(entry.Id, record, propertiesStart, default);
                ref var copied = ref target.entries[target.count - 1];
                copied.Batches = entry.Batches;
                foreach (var write in WriteRecords(entry))
                {
                    var at = target.Reserve(write.Length);
                    buffer.AsSpan(write.Offset, write.Length).CopyTo(target.buffer.AsSpan(at));
                    BinaryPrimitives.WriteInt32LittleEndian(target.buffer.AsSpan(at), copied.LastWrite);
                    copied.LastWrite = at;
                }
            }
        }

        private ReadOnlySpan<byte> Properties(in Entry entry) => buffer.AsSpan(entry.PropertiesOffset, entry.PropertiesLength);

        /// <summary>The bytes an entry's own records take (shared properties are counted by the record that holds them).</summary>
        private int Size(in Entry entry)
        {
            var size = entry.Length;
            foreach (var write in WriteRecords(entry))
            {
                size += write.Length;
            }

            return size;
        }

        private int Append(ReadOnlySpan<byte> bytes)
        {
            var at = Reserve(bytes.Length);
            bytes.CopyTo(buffer.AsSpan(at));
            return at;
        }

        private int Reserve(int length)
        {
            if ((long)used + length > Array.MaxLength)
            {
                throw new CheckpointStoreException(
                    $"Thread '{ThreadId}' would hold more than {Array.MaxLength} bytes of checkpoints in memory; prune it (RetentionPolicy) or use a persistent store.");
            }

            if (used + length > buffer.Length)
            {
                var size = (int)Math.Min(Array.MaxLength, Math.Max((long)used + length, Math.Max(256L, buffer.Length * 2L)));
                Array.Resize(ref buffer, size);
            }

            var at = used;
            used += length;
            return at;
        }
    }
}
