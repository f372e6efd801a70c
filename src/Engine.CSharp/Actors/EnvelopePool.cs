using System.Diagnostics;
using Microsoft.Extensions.ObjectPool;

namespace Graph.Engine.Actors;

/// <summary>
/// The envelope pool of one message type in one actor system: a small free list per thread in front of a shared
/// <see cref="Microsoft.Extensions.ObjectPool"/> pool of batches.
/// </summary>
/// <remarks>
/// A sender rents and an actor's owner returns, usually on two threads, so a single shared free list is a cache line
/// both cores write twice per message. Here a rent and a return touch only the calling thread's own list
/// (<see cref="Magazine"/>); lists exchange envelopes with the shared pool a batch of <see cref="BatchSize"/> at a
/// time, one shared operation per batch. The shared pool keeps <c>maximumRetained</c> envelopes at most (in batches);
/// each thread's list keeps up to twice a batch per message type, shared by the actor systems of the process (an
/// idle envelope holds no message).
/// </remarks>
internal sealed class EnvelopePool<TMessage>
{
    /// <summary>Envelopes moved between a thread's list and the shared pool at once.</summary>
    internal const int BatchSize = 32;

    [ThreadStatic]
    private static Magazine? t_magazine;

    private readonly DefaultObjectPool<Batch> _batches;
    private readonly DefaultObjectPool<Batch> _empties;
#if DEBUG
    private long _rented;
    private long _returned;
#endif

    public EnvelopePool(int maximumRetained)
    {
        var batches = Math.Max(1, maximumRetained / BatchSize);
        _batches = new DefaultObjectPool<Batch>(new BatchPolicy(filled: true), batches);
        _empties = new DefaultObjectPool<Batch>(new BatchPolicy(filled: false), batches);
    }

    public Envelope<TMessage> Rent(TMessage message, IDeadLetterObserver? observer = null)
    {
        var magazine = t_magazine ??= new Magazine();
        var envelope = magazine.Count > 0 ? magazine.Pop() : Refill(magazine);
#if DEBUG
        var wasRented = Interlocked.Exchange(ref envelope.Rented, 1);
        Debug.Assert(wasRented == 0, "An envelope in the pool was still marked as rented.");
        Interlocked.Increment(ref _rented);
#endif
        envelope.Message = message;
        envelope.Observer = observer;
        return envelope;
    }

    public void Return(Envelope<TMessage> envelope)
    {
#if DEBUG
        if (Interlocked.Exchange(ref envelope.Rented, 0) != 1)
        {
            throw new InvalidOperationException("An envelope was returned twice.");
        }

        Interlocked.Increment(ref _returned);
#endif
        envelope.Message = default!;
        envelope.Observer = null;
        var magazine = t_magazine ??= new Magazine();
        if (magazine.Count == Magazine.Capacity)
        {
            Spill(magazine);
        }

        magazine.Push(envelope);
    }

#if DEBUG
    /// <summary>Envelopes rented and not yet returned (debug builds only).</summary>
    public long Outstanding => Interlocked.Read(ref _rented) - Interlocked.Read(ref _returned);

    /// <summary>Envelopes rented so far (debug builds only).</summary>
    public long RentedCount => Interlocked.Read(ref _rented);
#endif

    /// <summary>The thread's list is empty: takes a batch from the shared pool (a new one when it has none) and rents its last envelope.</summary>
    private Envelope<TMessage> Refill(Magazine magazine)
    {
        if (magazine.TakeAll(_batches.Get()) is { } empty)
        {
            _empties.Return(empty);
        }

        return magazine.Pop();
    }

    /// <summary>The thread's list is full: hands a batch to the shared pool, which drops it when it keeps enough.</summary>
    private void Spill(Magazine magazine) => _batches.Return(magazine.GiveBatch(_empties));

    /// <summary>A thread's free list of one message type: only its thread touches it.</summary>
    private sealed class Magazine
    {
        public const int Capacity = 2 * BatchSize;
        private readonly Envelope<TMessage>[] _items = new Envelope<TMessage>[Capacity];
        private Batch? _spare;

        public int Count { get; private set; }

        public Envelope<TMessage> Pop()
        {
            // The slots above Count keep stale references (at most a list's capacity): never read, cheaper than clearing.
            return _items[--Count];
        }

        public void Push(Envelope<TMessage> envelope) => _items[Count++] = envelope;

        /// <summary>
        /// Moves a full batch's envelopes here and keeps the emptied batch for the next <see cref="GiveBatch"/>;
        /// returns the one it already kept, if any (the emptied batches go back to the threads that spill).
        /// </summary>
        public Batch? TakeAll(Batch batch)
        {
            Debug.Assert(Count == 0, "A thread's list is refilled only when empty.");
            Array.Copy(batch.Items, _items, BatchSize);
            Array.Clear(batch.Items);
            Count = BatchSize;
            var previous = _spare;
            _spare = batch;
            return previous;
        }

        /// <summary>Moves the newest <see cref="BatchSize"/> envelopes into a batch (the kept one, or one of <paramref name="empties"/>).</summary>
        public Batch GiveBatch(ObjectPool<Batch> empties)
        {
            var batch = _spare ?? empties.Get();
            _spare = null;
            Count -= BatchSize;
            Array.Copy(_items, Count, batch.Items, 0, BatchSize);
            return batch;
        }
    }

    /// <summary><see cref="BatchSize"/> idle envelopes, as the shared pool keeps them.</summary>
    private sealed class Batch
    {
        public readonly Envelope<TMessage>[] Items = new Envelope<TMessage>[BatchSize];
    }

    private sealed class BatchPolicy(bool filled) : IPooledObjectPolicy<Batch>
    {
        public Batch Create()
        {
            var batch = new Batch();
            for (var i = 0; filled && i < BatchSize; i++)
            {
                batch.Items[i] = new Envelope<TMessage>();
            }

            return batch;
        }

        public bool Return(Batch obj) => true;
    }
}
