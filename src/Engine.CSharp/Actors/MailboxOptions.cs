using System.Diagnostics;

namespace Graph.Engine.Actors;

/// <summary>Capacity and overflow policy of an actor's mailbox. Immutable.</summary>
/// <remarks>
/// The capacity counts messages waiting in the mailbox, not the ones being handled.
/// Nothing is pre-allocated: an idle actor costs the same whatever its capacity.
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public sealed record MailboxOptions
{
    /// <summary>The capacity used by <see cref="Default"/>.</summary>
    public const int DefaultCapacity = 1024;

    private MailboxOptions(int capacity, OverflowPolicy overflow)
    {
        Capacity = capacity;
        Overflow = overflow;
    }

    /// <summary>The number of messages that may wait in the mailbox, or <see cref="UnboundedCapacity"/>.</summary>
    public int Capacity { get; }

    /// <summary>What happens to a message that arrives when the mailbox is full.</summary>
    public OverflowPolicy Overflow { get; }

    /// <summary><see langword="true"/> when the mailbox has no bound (an explicit opt-in).</summary>
    public bool IsUnbounded => Capacity == UnboundedCapacity;

    /// <summary>The value of <see cref="Capacity"/> for an unbounded mailbox.</summary>
    public const int UnboundedCapacity = -1;

    /// <summary>A bounded mailbox of <see cref="DefaultCapacity"/> messages with <see cref="OverflowPolicy.Block"/>.</summary>
    public static MailboxOptions Default { get; } = new(DefaultCapacity, OverflowPolicy.Block);

    /// <summary>
    /// An unbounded mailbox. Senders never wait and nothing is dropped, so a slow actor can grow without limit:
    /// use it only where the producer is known to be bounded.
    /// </summary>
    public static MailboxOptions Unbounded { get; } = new(UnboundedCapacity, OverflowPolicy.Block);

    /// <summary>Creates a bounded mailbox.</summary>
    /// <param name="capacity">How many messages may wait; at least 1.</param>
    /// <param name="overflow">What happens to a message that arrives when the mailbox is full.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1, or <paramref name="overflow"/> is not a defined policy.</exception>
    public static MailboxOptions Bounded(int capacity, OverflowPolicy overflow = OverflowPolicy.Block)
    {
        if (capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "Mailbox capacity must be at least 1; use MailboxOptions.Unbounded to opt into an unbounded mailbox.");
        }

        if (!Enum.IsDefined(overflow))
        {
            throw new ArgumentOutOfRangeException(nameof(overflow), overflow, "Unknown overflow policy.");
        }

        return new MailboxOptions(capacity, overflow);
    }

    /// <inheritdoc />
    public override string ToString() => IsUnbounded ? "unbounded" : $"bounded({Capacity}, {Overflow})";
}
