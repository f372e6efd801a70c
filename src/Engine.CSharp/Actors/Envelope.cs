using System.Diagnostics;

namespace Graph.Engine.Actors;

/// <summary>Carries one message through a mailbox. Rented from <see cref="EnvelopePool{TMessage}"/> and returned exactly once.</summary>
internal sealed class Envelope<TMessage>
{
    public TMessage Message = default!;

    /// <summary>Told when the message is dead-lettered (an ask's reply channel), so the asker fails at once.</summary>
    public IDeadLetterObserver? Observer;

    /// <summary>The actor's epoch when the message was accepted; a group restart that drops the queue moves the epoch on.</summary>
    public int Epoch;

#if DEBUG
    /// <summary>1 while rented, 0 while in the pool: catches a double return in debug builds.</summary>
    public int Rented;
#endif
}

/// <summary>Something that wants to know when its message is dead-lettered.</summary>
internal interface IDeadLetterObserver
{
    void OnDeadLetter(DeadLetter deadLetter);
}
