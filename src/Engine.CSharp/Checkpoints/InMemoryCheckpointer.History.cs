namespace Graph.Engine.Checkpoints;

/// <summary>One thread's kept checkpoints: their slots in the store's <see cref="KeptLog"/>, in id order.</summary>
public sealed partial class InMemoryCheckpointer
{
    /// <summary>
    /// The slots of a thread's checkpoints in <see cref="KeptLog"/>, oldest first (ids only grow, so a put, the latest
    /// checkpoint and a write against it are O(1), a lookup by id a binary search). A value held in the store's thread
    /// table itself and changed there through a reference, so a thread costs no object besides its records and its id,
    /// and an array only once its slots do not follow one another. Never empty once stored: the thread goes with its
    /// last checkpoint. All members are called under the store's lock.
    /// </summary>
    private struct History
    {
        private const int FirstCapacity = 4;

        private int[]? items;
        private int first;

        /// <summary>Gets the number of checkpoints.</summary>
        public int Count { readonly get; private set; }

        /// <summary>The slot of the <paramref name="index"/>-th checkpoint (0 the oldest).</summary>
        public readonly int this[int index] => items is null ? first + index : items[index];

        /// <summary>The slot of the latest checkpoint.</summary>
        public readonly int Latest => this[Count - 1];

        /// <summary>
        /// Appends the slot of a checkpoint newer than every one held. While the slots follow one another (a run's
        /// checkpoints put one after the other), they are held as the first slot and the count: no array.
        /// </summary>
        public void Add(int slot)
        {
            if (items is null)
            {
                if (Count == 0)
                {
                    first = slot;
                }

                if (slot == first + Count)
                {
                    Count++;
                    return;
                }

                Materialize(Count + 1);
            }

            if (Count == items!.Length)
            {
                // Four times larger: a run of a dozen steps on a new thread grows its array once, not twice.
                Array.Resize(ref items, items.Length * 4);
            }

            items[Count++] = slot;
        }

        /// <summary>The position of checkpoint <paramref name="id"/> (ids ascend), or -1.</summary>
        public readonly int IndexOf(KeptLog log, long id)
        {
            if (Count > 0 && log[Latest].Id == id)
            {
                return Count - 1;
            }

            int low = 0, high = Count - 1;
            while (low <= high)
            {
                var mid = (low + high) >>> 1;
                var at = log[this[mid]].Id;
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
            var slots = Materialize(Count);
            var kept = 0;
            for (var i = 0; i < Count; i++)
            {
                var slot = slots[i];
                if (doomed(log[slot].Id, arg))
                {
                    log.Free(slot);
                }
                else
                {
                    slots[kept++] = slot;
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
                log.Free(this[i]);
            }

            if (items is null)
            {
                first += count;
            }
            else
            {
                Array.Copy(items, count, items, 0, Count - count);
            }

            Count -= count;
        }

        /// <summary>Frees every slot (the thread is deleted).</summary>
        public void Free(KeptLog log)
        {
            // Newest first, so the oldest slot is the next reused: a thread put next gets them in ascending order.
            for (var i = Count - 1; i >= 0; i--)
            {
                log.Free(this[i]);
            }

            Count = 0;
        }

        /// <summary>
        /// Moves this history's records from <paramref name="from"/> to <paramref name="to"/>, renumbering its slots. A
        /// new log hands out its slots one after the other, so a range stays a range.
        /// </summary>
        public void MoveTo(KeptLog from, KeptLog to)
        {
            var oldFirst = first;
            for (var i = 0; i < Count; i++)
            {
                var slot = to.Add(from[items is null ? oldFirst + i : items[i]]);
                if (items is not null)
                {
                    items[i] = slot;
                }
                else if (i == 0)
                {
                    first = slot;
                }
                else
                {
                    System.Diagnostics.Debug.Assert(slot == first + i, "A new log hands out its slots one after the other.");
                }
            }
        }

        /// <summary>The slots as an array (made from the range when there is none), with room for <paramref name="count"/>.</summary>
        private int[] Materialize(int count)
        {
            if (items is null)
            {
                items = new int[Math.Max(count, FirstCapacity)];
                for (var i = 0; i < Count; i++)
                {
                    items[i] = first + i;
                }
            }

            return items;
        }
    }
}
