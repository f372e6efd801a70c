using System.Runtime.InteropServices;
using Graph.Engine.Actors;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Actors;

/// <summary>The split mailbox count: what waits, the two sides' copies, and the layout that keeps the sides apart.</summary>
public class MailboxCountsTests
{
    [Test]
    public void Waiting_IsWhatWasAdmittedLessWhatWasTaken()
    {
        var counts = new MailboxCounts { Admitted = 7 };
        counts.TakeOneAsOwner();
        counts.TakeOneAsOwner();

        Assert.Multiple(() =>
        {
            Assert.That(counts.Taken, Is.EqualTo(2));
            Assert.That(counts.Waiting, Is.EqualTo(5));
        });
    }

    [Test]
    public void RefreshTaken_BringsTheSendersCopyUpToTheOwnersCount()
    {
        var counts = new MailboxCounts { Admitted = 4 };
        counts.TakeOneAsOwner();
        counts.TakeOneAsOwner();
        counts.TakeOneAsOwner();
        Assert.That(counts.TakenSeen, Is.Zero, "the senders' copy lags until a sender reads the owner's count");

        var taken = counts.RefreshTaken();

        Assert.Multiple(() =>
        {
            Assert.That(taken, Is.EqualTo(3));
            Assert.That(counts.TakenSeen, Is.EqualTo(3));
        });
    }

    [Test]
    public void AtMostOneWaitsToOwner_ReadsTheSendersCountOnlyWhenItsCopyShowsOneOrNone()
    {
        var counts = new MailboxCounts { Admitted = 3 };
        Assert.Multiple(() =>
        {
            Assert.That(counts.AtMostOneWaitsToOwner(), Is.False, "its copy (0) shows none: it reads the senders' count, 3");
            Assert.That(counts.AdmittedSeen, Is.EqualTo(3));
        });

        counts.Admitted = 10;
        counts.TakeOneAsOwner();
        Assert.Multiple(() =>
        {
            Assert.That(counts.AtMostOneWaitsToOwner(), Is.False, "its copy shows two waiting");
            Assert.That(counts.AdmittedSeen, Is.EqualTo(3), "so the senders' count is not read");
        });

        counts.TakeOneAsOwner();
        Assert.Multiple(() =>
        {
            Assert.That(counts.AtMostOneWaitsToOwner(), Is.False, "its copy shows one: it reads again and finds eight");
            Assert.That(counts.AdmittedSeen, Is.EqualTo(10));
        });

        for (var i = 0; i < 7; i++)
        {
            counts.TakeOneAsOwner();
        }

        Assert.That(counts.AtMostOneWaitsToOwner(), Is.True, "one of ten left");
        counts.TakeOneAsOwner();
        Assert.That(counts.AtMostOneWaitsToOwner(), Is.True, "none left");
    }

    [Test]
    public void EnterProducers_OneSenderAtATime_EveryIncrementUnderTheLockSurvives()
    {
        var counts = new MailboxCounts();
        var total = 0;
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                counts.EnterProducers();
                total++;
                counts.ExitProducers();
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.That(t.Join(Wait.Timeout), Is.True));

        Assert.Multiple(() =>
        {
            Assert.That(total, Is.EqualTo(200_000), "a lost update means two senders were inside at once");
            Assert.That(counts.Producers, Is.Zero, "released");
        });
    }

    [Test]
    public void Layout_TheSendersAndTheOwnersFieldsLieOnDifferentCacheLinesFromEachOtherAndFromTheirNeighbours()
    {
        const int line = 64;
        var size = Marshal.SizeOf<MailboxCounts>();
        var admitted = Marshal.OffsetOf<MailboxCounts>(nameof(MailboxCounts.Admitted)).ToInt32();
        var producers = Marshal.OffsetOf<MailboxCounts>(nameof(MailboxCounts.Producers)).ToInt32();
        var taken = Marshal.OffsetOf<MailboxCounts>(nameof(MailboxCounts.Taken)).ToInt32();
        var active = Marshal.OffsetOf<MailboxCounts>(nameof(MailboxCounts.Active)).ToInt32();

        Assert.Multiple(() =>
        {
            // Fields are only 8-byte aligned: two bytes share no cache line when they are at least a line apart.
            Assert.That(admitted - (-1), Is.GreaterThanOrEqualTo(line), "from the field before the struct to the senders' counts");
            Assert.That(taken - (producers + sizeof(int) - 1), Is.GreaterThanOrEqualTo(line), "from the senders' counts and lock word to the owner's counts");
            Assert.That(size - (active + sizeof(int) - 1), Is.GreaterThanOrEqualTo(line), "from the owner's counts to the field after the struct");
        });
    }
}
