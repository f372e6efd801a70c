using System.Runtime.InteropServices;

namespace Graph.Engine.Checkpoints;

/// <summary>Where the kept checkpoints of every thread live: one store-wide array of records, in chunks.</summary>
public sealed partial class InMemoryCheckpointer
{
    /// <summary>
    /// The slots holding every kept checkpoint of the store (<see cref="Kept"/> records), in chunks of
    /// <see cref="ChunkSize"/>: a kept checkpoint is a slot in an array, not an object of its own. A store that keeps
    /// every run so costs the GC no object per checkpoint, and the chunks (large arrays, allocated once) are never copied
    /// from generation to generation as small objects are. A slot freed by a delete is reused by a later put; when at
    /// most a quarter of the slots are in use the store moves the records into a smaller log (<see cref="Compact"/>).
    /// All members are called under the store's lock.
    /// </summary>
    private sealed class KeptLog
    {
        /// <summary>Slots per chunk: 1,024 records of 96 B (98 KB), a large-object array allocated once.</summary>
        public const int ChunkSize = 1 << ChunkShift;

        private const int ChunkShift = 10;
        private const int FirstChunkSize = 16;
        private const int NoSlot = -1;

        private Kept[][] chunks = [new Kept[FirstChunkSize]];
        private int used;
        private int freeHead = NoSlot;

        /// <summary>Gets the number of slots holding a record.</summary>
        public int Live { get; private set; }

        /// <summary>Gets the number of slots the log has room for without a new chunk.</summary>
        public int Capacity => chunks.Length == 1 ? chunks[0].Length : chunks.Length * ChunkSize;

        /// <summary>The record in <paramref name="slot"/>.</summary>
        public ref Kept this[int slot] => ref chunks[slot >> ChunkShift][slot & (ChunkSize - 1)];

        /// <summary>Puts <paramref name="kept"/> in a free slot and returns the slot.</summary>
        public int Add(in Kept kept)
        {
            int slot;
            if (freeHead != NoSlot)
            {
                slot = freeHead;
                freeHead = this[slot].NextFree;
            }
            else
            {
                slot = used++;
                EnsureRoom(slot);
            }

            this[slot] = kept;
            Live++;
            return slot;
        }

        /// <summary>Empties <paramref name="slot"/> (its references released) and makes it the next one reused.</summary>
        public void Free(int slot)
        {
            this[slot] = Kept.Freed(freeHead);
            freeHead = slot;
            Live--;
        }

        /// <summary>Whether so few slots are in use that <see cref="Compact"/> would give memory back.</summary>
        public bool IsSparse => chunks.Length > 1 && Live * 4 < Capacity;

        /// <summary>
        /// A log holding the records of the histories in <paramref name="threads"/> only, in order, with each history's
        /// slots renumbered to the new log (in the table itself): what a store whose deletes emptied most slots keeps
        /// instead of its chunks.
        /// </summary>
        public static KeptLog Compact(KeptLog from, Dictionary<string, History> threads)
        {
            var to = new KeptLog();
            foreach (var thread in threads.Keys)
            {
                CollectionsMarshal.GetValueRefOrNullRef(threads, thread).MoveTo(from, to);
            }

            return to;
        }

        private void EnsureRoom(int slot)
        {
            var chunk = slot >> ChunkShift;
            if (chunk == 0)
            {
                var first = chunks[0];
                if (slot >= first.Length)
                {
                    Array.Resize(ref first, Math.Min(first.Length * 2, ChunkSize));
                    chunks[0] = first;
                }

                return;
            }

            if (chunk == chunks.Length)
            {
                Array.Resize(ref chunks, chunks.Length + 1);
                chunks[chunk] = new Kept[ChunkSize];
            }
        }
    }
}
