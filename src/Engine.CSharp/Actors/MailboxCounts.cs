using System.Runtime.InteropServices;

namespace Graph.Engine.Actors;

/// <summary>
/// How many messages a mailbox admitted and how many its owner took, on two cache lines: one the senders write, one the
/// owner writes. What waits is <c>Admitted - Taken</c>.
/// </summary>
/// <remarks>
/// <para>
/// One shared count that every sender increments and the owner decrements moves its cache line between the cores twice
/// per message. Here each side writes only its own line and keeps a copy of the other side's count, read again only when
/// the copy says something the side must know exactly: a sender reads the owner's count when its copy says the mailbox is
/// full (or that an idle actor still has work), the owner reads the senders' count when its copy says at most one
/// message waits. The copies only ever lag, so a sender's copy overstates what waits (the capacity is never exceeded)
/// and the owner's copy understates what was admitted (it never takes a message that is not there). The inbox's
/// producer lock word lives on the senders' line too. Measured with hop (one producer, one actor, default mailbox) on
/// two cores: 75 to 184 ns per message with the shared count and a lock object, 27 to 34 ns with this
/// (docs/performance.md).
/// </para>
/// <para>
/// The counts are 64-bit and only grow (a refused or dropped message takes itself back out of <see cref="Admitted"/>),
/// so the difference is exact without wrap-around. The struct is padded so the two lines are shared with nothing else
/// (240 B per actor).
/// </para>
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = OwnerLine + OwnerBytes + CacheLine)]
internal struct MailboxCounts
{
    private const int CacheLine = 64;

    // Fields are only 8-byte aligned, so two fields are on different cache lines only when a whole line lies between
    // them: the senders' counts start a line after the struct's start, the owner's a line after the senders' last
    // byte, and a line follows the owner's last byte.
    private const int SendersLine = CacheLine;
    private const int OwnerLine = SendersLine + (3 * sizeof(long)) + CacheLine;
    private const int OwnerBytes = (2 * sizeof(long)) + sizeof(int);

    /// <summary>Messages admitted, less those taken back (a refused post, a dropped message, a late hand-over). Senders, by CAS or Interlocked.</summary>
    [FieldOffset(SendersLine)]
    public long Admitted;

    /// <summary>The senders' copy of <see cref="Taken"/>: never ahead of it. Written by any sender that reads <see cref="Taken"/>.</summary>
    [FieldOffset(SendersLine + sizeof(long))]
    public long TakenSeen;

    /// <summary>The inbox's producer lock (0 free, 1 held), on the senders' line: see <see cref="EnterProducers"/>.</summary>
    [FieldOffset(SendersLine + (2 * sizeof(long)))]
    public int Producers;

    /// <summary>Messages taken by the owner (exclusive actors: the owner alone writes it; parallel actors: Interlocked).</summary>
    [FieldOffset(OwnerLine)]
    public long Taken;

    /// <summary>The owner's copy of <see cref="Admitted"/> (exclusive actors only; the owner alone reads and writes it).</summary>
    [FieldOffset(OwnerLine + sizeof(long))]
    public long AdmittedSeen;

    /// <summary>Handlers running (+1 on entry, -1 on leave, Interlocked), on the owner's line: read by a suspension.</summary>
    [FieldOffset(OwnerLine + (2 * sizeof(long)))]
    public int Active;

    /// <summary>What waits, read from both lines (the owner's count first, so the result is never negative).</summary>
    public readonly long Waiting
    {
        get
        {
            var taken = Volatile.Read(in Taken);
            return Volatile.Read(in Admitted) - taken;
        }
    }

    /// <summary>A sender's look at the owner's count: reads it and refreshes the senders' copy.</summary>
    /// <returns>The owner's count as read.</returns>
    public long RefreshTaken()
    {
        var taken = Volatile.Read(ref Taken);
        Volatile.Write(ref TakenSeen, taken);
        return taken;
    }

    /// <summary>
    /// The owner of an exclusive actor asks whether at most one message waits (the last one may still be on its way into
    /// the inbox: a sender counts before it posts). Its copy of the senders' count answers while it shows more than one;
    /// the senders' line is read only when the copy shows one or none.
    /// </summary>
    /// <returns><see langword="true"/> when at most one admitted message has not been taken.</returns>
    public bool AtMostOneWaitsToOwner()
    {
        var taken = Taken;
        if (AdmittedSeen - taken > 1)
        {
            return false;
        }

        AdmittedSeen = Volatile.Read(ref Admitted);
        return AdmittedSeen - taken <= 1;
    }

    /// <summary>
    /// Takes the inbox's producer lock: its single-producer queue takes one sender at a time. The lock word is on the
    /// senders' line, which a sender writes anyway (<see cref="Admitted"/>), and which the owner never writes; a lock
    /// object of its own would lie wherever it was allocated, next to fields the owner writes for every message in some
    /// processes and not in others. The section it guards is one enqueue, so a waiting sender spins.
    /// </summary>
    public void EnterProducers()
    {
        if (Interlocked.CompareExchange(ref Producers, 1, 0) != 0)
        {
            EnterProducersContended();
        }
    }

    /// <summary>Releases the inbox's producer lock.</summary>
    public void ExitProducers() => Volatile.Write(ref Producers, 0);

    private void EnterProducersContended()
    {
        var spinner = default(SpinWait);
        do
        {
            spinner.SpinOnce();
        }
        while (Volatile.Read(ref Producers) != 0 || Interlocked.CompareExchange(ref Producers, 1, 0) != 0);
    }

    /// <summary>The owner of an exclusive actor took a message: a plain write of its own line, no atomic operation.</summary>
    public void TakeOneAsOwner() => Volatile.Write(ref Taken, Taken + 1);
}
