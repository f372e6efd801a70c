using System.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>
/// The first-in first-out queue of a node's backlog (<see cref="NodeBacklog{TState, TUpdate}"/>): fixed chunks of
/// <see cref="ChunkLength"/> slots, linked, under one lock. A waiting item costs its slot (a <see cref="NodeTask{TState, TUpdate}"/>:
/// 16 B) and at most one chunk is partly empty, where a <c>ConcurrentQueue</c> pays 24 B a slot (its sequence
/// numbers) and doubles its segments (up to twice the slots it holds, and it keeps its last, largest segment when
/// empty). The backlog is the overload path (tasks wait here only while the node's mailbox is full), so a lock held
/// for a few writes is cheap beside the send that follows each dequeue.
/// </summary>
/// <remarks>
/// Nothing is allocated until the first item; an empty queue keeps one chunk for the next item. Every operation
/// takes the lock (a full fence), <see cref="IsEmpty"/> included, so a thread that releases its claim on the queue
/// and then checks it for items sees an item enqueued before another thread checked that claim.
/// </remarks>
[DebuggerDisplay("Count = {count}")]
internal sealed class BacklogQueue<T>
{
    /// <summary>Slots a chunk holds.</summary>
    internal const int ChunkLength = 64;

    private readonly Lock gate = new();
    private Chunk? head;
    private Chunk? tail;

    /// <summary>The next slot to dequeue, in <see cref="head"/>.</summary>
    private int headIndex;

    /// <summary>The next slot to fill, in <see cref="tail"/>.</summary>
    private int tailIndex;
    private int count;

    /// <summary>Whether no item waits.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (gate)
            {
                return count == 0;
            }
        }
    }

    /// <summary>Adds <paramref name="item"/> at the end.</summary>
    public void Enqueue(T item)
    {
        lock (gate)
        {
            if (tail is null)
            {
                head = tail = new Chunk();
            }
            else if (tailIndex == ChunkLength)
            {
                var next = new Chunk();
                tail.Next = next;
                tail = next;
                tailIndex = 0;
            }

            tail.Items[tailIndex++] = item;
            count++;
        }
    }

    /// <summary>Takes the first item; false when none waits.</summary>
    public bool TryDequeue(out T item)
    {
        lock (gate)
        {
            if (count == 0)
            {
                item = default!;
                return false;
            }

            var chunk = head!;
            item = chunk.Items[headIndex];
            chunk.Items[headIndex++] = default!; // the slot does not keep its run alive
            count--;
            if (count == 0)
            {
                // Empty: the one chunk left is reused from its start (a chunk before it has been passed already).
                head = tail;
                head!.Next = null;
                headIndex = tailIndex = 0;
            }
            else if (headIndex == ChunkLength)
            {
                head = chunk.Next;
                chunk.Next = null;
                headIndex = 0;
            }

            return true;
        }
    }

    private sealed class Chunk
    {
        public T[] Items { get; } = new T[ChunkLength];

        public Chunk? Next { get; set; }
    }
}
