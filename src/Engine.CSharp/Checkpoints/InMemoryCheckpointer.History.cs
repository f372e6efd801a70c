namespace Graph.Engine.Checkpoints;

/// <summary>One thread's kept checkpoints: their slots in the store's <see cref="KeptLog"/>, in id order.</summary>
public sealed partial class InMemoryCheckpointer
{
    /// <summary>
    /// The slots of a thread's checkpoints in <see cref="KeptLog"/>, oldest first (ids only grow, so a put, the latest
    /// checkpoint and a write against it are O(1), a lookup by id a binary search): a thread costs this object and its
    /// array besides its records. Never empty once stored: the thread goes with its last checkpoint. All members are
    /// called under the store's lock.
    /// </summary>
    private sealed class History
    {
        private const int FirstCapacity = 4;

        private int[] items;

        /// <summary>A history with room for <paramref name="capacity"/> checkpoints.</summary>
        public History(int capacity = FirstCapacity) => items = new int[Math.Max(capacity, 1)];

        /// <summary>Gets the number of checkpoints.</summary>
        public int Count { get; private set; }

        /// <summary>The slot of the <paramref name="index"/>-th checkpoint (0 the oldest).</summary>
        public int this[int index] => items[index];

        /// <summary>The slot of the latest checkpoint.</summary>
        public int Latest => items[Count - 1];

        /// <summary>Appends the slot of a checkpoint newer than every one held.</summary>
        public void Add(int slot)
        {
            if (Count == items.Length)
            {
                // Four times larger: a run of a dozen steps on a new thread grows its array once, not twice.
                Array.Resize(ref items, items.Length * 4);
            }

            items[Count++] = slot;
        }

        /// <summary>The position of checkpoint <paramref name="id"/> (ids ascend), or -1.</summary>
        public int IndexOf(KeptLog log, long id)
        {
            if (Count > 0 && log[items[Count - 1]].Id == id)
            {
                return Count - 1;
            }

            int low = 0, high = Count - 1;
            while (low <= high)
            {
                var mid = (low + high) >>> 1;
                var at = log[items[mid]].Id;
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

        /// <summary>Deletes the checkpoints whose id <paramref name="doomed"/> says, freeing their slots; returns how many.</summary>
        public int RemoveWhere<TArg>(KeptLog log, TArg arg, Func<long, TArg, bool> doomed)
        {
            var kept = 0;
            for (var i = 0; i < Count; i++)
            {
                var slot = items[i];
                if (doomed(log[slot].Id, arg))
                {
                    log.Free(slot);
                }
                else
                {
                    items[kept++] = slot;
                }
            }

            var removed = Count - kept;
            Count = kept;
            return removed;
        }

        /// <summary>Deletes the <paramref name="count"/> oldest checkpoints, freeing their slots.</summary>
        public void RemoveOldest(KeptLog log, int count)
        {
            for (var i = 0; i < count; i++)
            {
                log.Free(items[i]);
            }

            Array.Copy(items, count, items, 0, Count - count);
            Count -= count;
        }

        /// <summary>Frees every slot (the thread is deleted).</summary>
        public void Free(KeptLog log)
        {
            for (var i = 0; i < Count; i++)
            {
                log.Free(items[i]);
            }

            Count = 0;
        }

        /// <summary>Moves this history's records from <paramref name="from"/> to <paramref name="to"/>, renumbering its slots.</summary>
        public void MoveTo(KeptLog from, KeptLog to)
        {
            for (var i = 0; i < Count; i++)
            {
                items[i] = to.Add(from[items[i]]);
            }
        }
    }
}
