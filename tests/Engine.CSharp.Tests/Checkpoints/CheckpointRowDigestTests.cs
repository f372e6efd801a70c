using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Graph.Engine.Checkpoints.Storage;

namespace Graph.Engine.Tests.Checkpoints;

/// <summary>
/// The row digests stored in SQLite and PostgreSQL files never change: each equals the SHA-256 of the row's fields laid
/// out as schema version 3 defined them (hashed here field by field), whether the fields fit the stack or not.
/// </summary>
[TestFixture]
public sealed class CheckpointRowDigestTests
{
    [TestCase("t", 0)]
    [TestCase("thread-é-日本", 40)]
    [TestCase("t", 5000)]
    public void Checkpoint_AnyRow_EqualsTheDigestOfItsFieldsInTheStoredLayout(string threadId, int size)
    {
        var (tasks, planner, metadata) = (Bytes(size, 1), Bytes(size / 2, 2), Bytes(7, 3));
        var stateHash = SHA256.HashData(Bytes(size, 4));

        var digest = CheckpointRowDigest.Checkpoint(threadId, 12, null, 3, "State.Type", stateHash, tasks, planner, metadata, 638_000_000_000_000_000, -90);

        var expected = Reference(1, hash =>
        {
            Text(hash, threadId);
            Long(hash, 12);
            Long(hash, -1);
            Long(hash, 3);
            Text(hash, "State.Type");
            Blob(hash, stateHash);
            Blob(hash, tasks);
            Blob(hash, planner);
            Blob(hash, metadata);
            Long(hash, 638_000_000_000_000_000);
            Long(hash, -90);
        });
        Assert.That(digest, Is.EqualTo(expected));
    }

    [TestCase("t", 0)]
    [TestCase("thread-é", 3000)]
    public void Write_AnyRow_EqualsTheDigestOfItsFieldsInTheStoredLayout(string threadId, int size)
    {
        var payload = Bytes(size, 5);

        var digest = CheckpointRowDigest.Write(threadId, 4, 2, "n1:0", "n1", 1, payload);

        var expected = Reference(2, hash =>
        {
            Text(hash, threadId);
            Long(hash, 4);
            Long(hash, 2);
            Text(hash, "n1:0");
            Text(hash, "n1");
            Long(hash, 1);
            Blob(hash, payload);
        });
        Assert.That(digest, Is.EqualTo(expected));
    }

    [Test]
    public void HeadAndWriteCount_AnyRow_EqualTheDigestsOfTheirFieldsInTheStoredLayout()
    {
        var longThread = new string('x', 700);

        Assert.Multiple(() =>
        {
            Assert.That(CheckpointRowDigest.Head("t", 9, 2), Is.EqualTo(Reference(3, hash => Counted(hash, "t", 9, 2))));
            Assert.That(CheckpointRowDigest.WriteCount(longThread, 8, 1), Is.EqualTo(Reference(4, hash => Counted(hash, longThread, 8, 1))));
        });
    }

    private static void Counted(IncrementalHash hash, string threadId, long id, long writes)
    {
        Text(hash, threadId);
        Long(hash, id);
        Long(hash, writes);
    }

    private static byte[] Reference(byte row, Action<IncrementalHash> fields)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([row]);
        fields(hash);
        return hash.GetHashAndReset();
    }

    private static void Long(IncrementalHash hash, long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        hash.AppendData(bytes);
    }

    private static void Blob(IncrementalHash hash, byte[] bytes)
    {
        Long(hash, bytes.Length);
        hash.AppendData(bytes);
    }

    private static void Text(IncrementalHash hash, string text) => Blob(hash, Encoding.UTF8.GetBytes(text));

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
