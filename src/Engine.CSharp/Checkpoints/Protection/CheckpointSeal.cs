using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Graph.Engine.Checkpoints.Storage;

namespace Graph.Engine.Checkpoints;

/// <summary>
/// The cryptography of <see cref="ProtectedCheckpointer"/>: HMAC-SHA256 signatures over checkpoints and pending writes
/// and AES-256-GCM encryption of the values (states, pending-write payloads, send arguments), each naming its key id.
/// </summary>
/// <remarks>
/// Formats. An encrypted value is <c>[0xC7][1][key id length][key id][nonce 12][tag 16][ciphertext]</c>. A sealed
/// pending-write payload is <c>[0xC8][1][flags][key id length][key id][HMAC 32][body]</c>, the body being the payload or
/// its encrypted form (flag 1). A checkpoint's signature is the metadata property <see cref="Property"/>,
/// <c>{key id}:{flags}:{base64 HMAC}</c>, over its id, parent, step, state type, the SHA-256 of its stored state, its
/// stored next tasks, planner state, metadata (without the property, properties in ordinal order) and creation time.
/// The thread id is not signed, so copies of a thread verify. Per key id, the signing and encryption keys are derived
/// from the key with HMAC-SHA256 under distinct labels.
/// </remarks>
internal sealed class CheckpointSeal(CheckpointKeys keys, bool encrypt)
{
    /// <summary>The metadata property holding a checkpoint's signature.</summary>
    public const string Property = "graph.seal";

    private const byte ValueMarker = 0xC7;
    private const byte WriteMarker = 0xC8;
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int MacSize = 32;

    private readonly ConcurrentDictionary<string, (byte[] Mac, byte[] Encryption)> derived = new(StringComparer.Ordinal);

    public CheckpointKeys Keys => keys;

    /// <summary>Signs (and encrypts the values of) a checkpoint about to be stored.</summary>
    public Checkpoint Seal(Checkpoint checkpoint)
    {
        var keyId = keys.CurrentKeyId;
        var sealedCheckpoint = encrypt
            ? checkpoint with
            {
                State = Encrypt(keyId, checkpoint.State.Span),
                NextTasks = [.. checkpoint.NextTasks.Select(t => t.SendArgument is { } a ? t with { SendArgument = Encrypt(keyId, a.Span) } : t)],
            }
            : checkpoint;
        var flags = encrypt ? "e" : "p";
        var mac = Mac(keyId, sealedCheckpoint, flags);
        var properties = SealedProperties.Of(checkpoint.Metadata.Properties, $"{keyId}:{flags}:{Convert.ToBase64String(mac)}");
        return sealedCheckpoint with { Metadata = checkpoint.Metadata with { Properties = properties } };
    }

    /// <summary>Verifies a stored checkpoint and returns it as it was before sealing (pending writes opened too).</summary>
    public Checkpoint Open(Checkpoint stored)
    {
        if (!stored.Metadata.Properties.TryGetValue(Property, out var seal) || seal.Split(':') is not [var keyId, var flags and ("e" or "p"), var signature])
        {
            throw Damage(stored, "carries no signature: it was written without protection, or its signature was removed");
        }

        var properties = new Dictionary<string, string>(stored.Metadata.Properties, StringComparer.Ordinal);
        properties.Remove(Property);
        var unsigned = stored with { Metadata = stored.Metadata with { Properties = properties } };
        var expected = Mac(KnownKey(keyId, () => Describe(stored)), unsigned, flags);
        if (!TryBase64(signature, out var actual) || !CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            throw Damage(stored, $"fails its signature check with key '{keyId}': it was changed after it was written, or signed with another key under that id");
        }

        var opened = flags == "e"
            ? unsigned with
            {
                State = Decrypt(unsigned.State.Span, () => Describe(stored) + " (its state)"),
                NextTasks = [.. unsigned.NextTasks.Select(t => t.SendArgument is { } a ? t with { SendArgument = Decrypt(a.Span, () => $"{Describe(stored)} (the send argument of task '{t.TaskId}')") } : t)],
            }
            : unsigned;
        return opened.PendingWrites.Count == 0
            ? opened
            : opened with { PendingWrites = [.. opened.PendingWrites.Select(w => OpenWrite(stored.ThreadId, stored.Id, w))] };
    }

    /// <summary>Signs (and encrypts) a pending write recorded against checkpoint <paramref name="checkpointId"/>.</summary>
    public PendingWrite SealWrite(long checkpointId, PendingWrite write)
    {
        var keyId = keys.CurrentKeyId;
        var body = encrypt ? Encrypt(keyId, write.Payload.Span) : write.Payload.ToArray();
        var id = Encoding.UTF8.GetBytes(keyId);
        var payload = new byte[4 + id.Length + MacSize + body.Length];
        payload[0] = WriteMarker;
        payload[1] = Version;
        payload[2] = encrypt ? (byte)1 : (byte)0;
        payload[3] = (byte)id.Length;
        id.CopyTo(payload, 4);
        body.CopyTo(payload, 4 + id.Length + MacSize);
        WriteMac(keyId, checkpointId, write, payload[2], body).CopyTo(payload, 4 + id.Length);
        return write with { Payload = payload };
    }

    private PendingWrite OpenWrite(string threadId, long checkpointId, PendingWrite stored)
    {
        string What() => $"the pending write of task '{stored.TaskId}' ({stored.Kind}) on checkpoint {checkpointId} of thread '{threadId}'";
        var payload = stored.Payload.Span;
        if (payload.Length < 4 || payload[0] != WriteMarker || payload[1] != Version || payload.Length < 4 + payload[3] + MacSize)
        {
            throw new CheckpointStoreException($"{What()} carries no signature: it was written without protection, or it was damaged.");
        }

        var keyId = Encoding.UTF8.GetString(payload.Slice(4, payload[3]));
        var flags = payload[2];
        var body = payload[(4 + payload[3] + MacSize)..];
        var expected = WriteMac(KnownKey(keyId, What), checkpointId, stored, flags, body);
        if (!CryptographicOperations.FixedTimeEquals(expected, payload.Slice(4 + payload[3], MacSize)))
        {
            throw new CheckpointStoreException($"{What()} fails its signature check with key '{keyId}': it was changed after it was written, moved, or signed with another key under that id.");
        }

        return stored with { Payload = flags == 1 ? Decrypt(body, What) : body.ToArray() };
    }

    private byte[] Mac(string keyId, Checkpoint checkpoint, string flags)
    {
        var metadata = checkpoint.Metadata with
        {
            Properties = checkpoint.Metadata.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal),
        };
        var digest = CheckpointRowDigest.Checkpoint(
            flags,
            checkpoint.Id,
            checkpoint.ParentId,
            checkpoint.Step,
            checkpoint.StateType,
            SHA256.HashData(checkpoint.State.Span),
            CheckpointRecordCodec.EncodeTasks(checkpoint.NextTasks),
            checkpoint.PlannerState.Span,
            CheckpointRecordCodec.EncodeMetadata(metadata),
            checkpoint.CreatedAt.Ticks,
            (long)checkpoint.CreatedAt.Offset.TotalMinutes);
        return HMACSHA256.HashData(Derive(keyId).Mac, digest);
    }

    private byte[] WriteMac(string keyId, long checkpointId, PendingWrite write, byte flags, ReadOnlySpan<byte> body)
    {
        var digest = CheckpointRowDigest.Write(flags.ToString(CultureInfo.InvariantCulture), checkpointId, 0, write.TaskId, write.Node, (long)write.Kind, body);
        return HMACSHA256.HashData(Derive(keyId).Mac, digest);
    }

    private byte[] Encrypt(string keyId, ReadOnlySpan<byte> plain)
    {
        var id = Encoding.UTF8.GetBytes(keyId);
        var result = new byte[3 + id.Length + NonceSize + TagSize + plain.Length];
        result[0] = ValueMarker;
        result[1] = Version;
        result[2] = (byte)id.Length;
        id.CopyTo(result, 3);
        var nonce = result.AsSpan(3 + id.Length, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Derive(keyId).Encryption, TagSize);
        aes.Encrypt(nonce, plain, result.AsSpan(3 + id.Length + NonceSize + TagSize), result.AsSpan(3 + id.Length + NonceSize, TagSize), result.AsSpan(0, 3 + id.Length));
        return result;
    }

    private byte[] Decrypt(ReadOnlySpan<byte> sealedValue, Func<string> what)
    {
        if (sealedValue.Length < 3 || sealedValue[0] != ValueMarker || sealedValue[1] != Version || sealedValue.Length < 3 + sealedValue[2] + NonceSize + TagSize)
        {
            throw new CheckpointStoreException($"{what()} is not an encrypted value of this format: it was damaged.");
        }

        var header = 3 + sealedValue[2];
        var keyId = Encoding.UTF8.GetString(sealedValue.Slice(3, sealedValue[2]));
        var plain = new byte[sealedValue.Length - header - NonceSize - TagSize];
        using var aes = new AesGcm(Derive(KnownKey(keyId, what)).Encryption, TagSize);
        try
        {
            aes.Decrypt(sealedValue.Slice(header, NonceSize), sealedValue[(header + NonceSize + TagSize)..], sealedValue.Slice(header + NonceSize, TagSize), plain, sealedValue[..header]);
        }
        catch (AuthenticationTagMismatchException exception)
        {
            throw new CheckpointStoreException($"{what()} fails decryption with key '{keyId}': it was changed after it was written, or encrypted with another key under that id.", exception);
        }

        return plain;
    }

    private string KnownKey(string keyId, Func<string> what) => keys.Find(keyId) is not null
        ? keyId
        : throw new CheckpointStoreException($"{what()} was sealed with key '{keyId}', which the key ring does not hold (it holds {string.Join(", ", keys.KeyIds.Select(k => $"'{k}'"))}); add the old key to read it.");

    private (byte[] Mac, byte[] Encryption) Derive(string keyId) => derived.GetOrAdd(keyId, static (id, ring) =>
    {
        var key = ring.Find(id)!;
        return (HMACSHA256.HashData(key, "graph.checkpoint.mac"u8), HMACSHA256.HashData(key, "graph.checkpoint.encryption"u8));
    }, keys);

    private static string Describe(Checkpoint checkpoint) => $"Checkpoint {checkpoint.Id} of thread '{checkpoint.ThreadId}'";

    private static CheckpointStoreException Damage(Checkpoint checkpoint, string what) => new($"{Describe(checkpoint)} {what}.");

    private static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = new byte[MacSize];
        return Convert.TryFromBase64String(text, bytes, out var written) && written == MacSize;
    }
}
