using System.Diagnostics;
using Microsoft.Extensions.ObjectPool;

namespace Graph.Engine.Actors;

/// <summary>
/// The envelope pool of one message type in one actor system, on <see cref="Microsoft.Extensions.ObjectPool"/>.
/// Retention is sized for the messages in flight (the provider's default keeps only twice the processor count).
/// </summary>
internal sealed class EnvelopePool<TMessage>
{
    private readonly DefaultObjectPool<Envelope<TMessage>> _pool;
#if DEBUG
    private long _rented;
    private long _returned;
#endif

    public EnvelopePool(int maximumRetained) =>
        _pool = new DefaultObjectPool<Envelope<TMessage>>(new Policy(), maximumRetained);

    public Envelope<TMessage> Rent(TMessage message, IDeadLetterObserver? observer = null)
    {
        var envelope = _pool.Get();
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
        _pool.Return(envelope);
    }

#if DEBUG
    /// <summary>Envelopes rented and not yet returned (debug builds only).</summary>
    public long Outstanding => Interlocked.Read(ref _rented) - Interlocked.Read(ref _returned);

    /// <summary>Envelopes rented so far (debug builds only).</summary>
    public long RentedCount => Interlocked.Read(ref _rented);
#endif

    private sealed class Policy : IPooledObjectPolicy<Envelope<TMessage>>
    {
        public Envelope<TMessage> Create() => new();

        public bool Return(Envelope<TMessage> obj)
        {
            obj.Message = default!;
            obj.Observer = null;
            return true;
        }
    }
}
