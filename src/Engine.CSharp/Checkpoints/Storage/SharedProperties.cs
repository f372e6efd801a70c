using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace Graph.Engine.Checkpoints.Storage;

/// <summary>
/// The metadata properties every checkpoint of one compiled graph records alike (its fingerprint: hash, node names and
/// update type; <see cref="ISharedEntries"/>), as one record a store keeps once under its SHA-256 rather than in
/// every checkpoint row. A checkpoint's metadata record then holds its own properties (the run id) and that hash
/// (<see cref="CheckpointRecordCodec.EncodeMetadata(CheckpointMetadata, SharedProperties)"/>), so what a checkpoint
/// costs no longer grows with the number of nodes in the graph.
/// </summary>
/// <remarks>
/// The record of an entry array is built once and kept with the array. A record read back is checked against the hash
/// its checkpoint names before it is decoded; records that passed are remembered with their bytes, so a later read of
/// the same bytes under the same hash is neither hashed nor decoded again.
/// </remarks>
internal sealed class SharedProperties
{
    /// <summary>The size of <see cref="Hash"/>: a SHA-256.</summary>
    public const int HashSize = 32;

    private const byte FormatVersion = 1;
    private const int MaxRemembered = 256;
    private static readonly ConditionalWeakTable<KeyValuePair<string, string>[], SharedProperties> Built = [];
    private static readonly ConcurrentDictionary<(UInt128, UInt128), (byte[] Data, KeyValuePair<string, string>[] Entries)> Verified = new();

    private SharedProperties(KeyValuePair<string, string>[] entries, byte[] data)
    {
        Entries = entries;
        Data = data;
        Hash = RowHash.Sha256(data);
        Key = RowHash.Key(Hash);
    }

    /// <summary>The entries, in the order they are recorded.</summary>
    public KeyValuePair<string, string>[] Entries { get; }

    /// <summary>The record as stored.</summary>
    public byte[] Data { get; }

    /// <summary>The SHA-256 of <see cref="Data"/>, under which it is stored and by which checkpoints name it.</summary>
    public byte[] Hash { get; }

    /// <summary><see cref="Hash"/> as a value, for sets of records known to be stored.</summary>
    public (UInt128, UInt128) Key { get; }

    /// <summary>The record of <paramref name="entries"/> (built on first use, then kept as long as the array lives).</summary>
    public static SharedProperties Of(KeyValuePair<string, string>[] entries) =>
        Built.GetValue(entries, static entries => new SharedProperties(entries, Encode(entries)));

    /// <summary>The record of the shared entries <paramref name="metadata"/>'s properties hold (<see cref="ISharedEntries"/>), or null when they hold none.</summary>
    public static SharedProperties? Of(CheckpointMetadata metadata) =>
        metadata.Properties is ISharedEntries { Shared.Length: > 0 } source ? Of(source.Shared) : null;

    /// <summary>Whether one of the entries has <paramref name="key"/>.</summary>
    public bool Holds(string key)
    {
        foreach (var entry in Entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The entries of a record read back as <paramref name="data"/> for a checkpoint that names it by <paramref name="hash"/>,
    /// or null when the bytes do not hash to it; remembered once they did. Throws what <see cref="BinaryReader"/> throws on
    /// a malformed record.
    /// </summary>
    private static KeyValuePair<string, string>[]? Read(ReadOnlySpan<byte> hash, byte[] data)
    {
        if (!CryptographicOperations.FixedTimeEquals(RowHash.Sha256(data), hash))
        {
            return null;
        }

        var entries = Decode(data);
        if (Verified.Count >= MaxRemembered)
        {
            Verified.Clear();
        }

        Verified[RowHash.Key(hash)] = (data, entries);
        return entries;
    }

    /// <summary>
    /// The shared entries a checkpoint's (verified) metadata record names, from <paramref name="data"/>, the record the
    /// store found under that hash (null when none): null for a record that names none; damage naming the thread and
    /// checkpoint when the record is missing, does not match its hash or cannot be decoded. A record with the same bytes
    /// as one that passed before is not hashed or decoded again.
    /// </summary>
    public static KeyValuePair<string, string>[]? ForCheckpoint(string threadId, long id, byte[] metadata, byte[]? data)
    {
        var named = CheckpointRecordCodec.SharedPropertiesHash(metadata);
        if (named.IsEmpty)
        {
            return null;
        }

        if (data is not null && Verified.TryGetValue(RowHash.Key(named), out var known) && known.Data.AsSpan().SequenceEqual(data))
        {
            return known.Entries;
        }

        var hash = named.ToArray();
        var hashText = Convert.ToHexString(hash);
        if (data is null)
        {
            throw StoreDamage.Checkpoint(threadId, id, $"its shared properties {hashText} are missing");
        }

        return StoreDamage.Decoding(threadId, id, $"its shared properties {hashText}", () => Read(hash, data))
            ?? throw StoreDamage.Checkpoint(threadId, id, $"its shared properties {hashText} do not match their hash");
    }

    private static byte[] Encode(KeyValuePair<string, string>[] entries)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write7BitEncodedInt(entries.Length);
            foreach (var (key, value) in entries)
            {
                writer.Write(key);
                writer.Write(value);
            }
        }

        return stream.ToArray();
    }

    private static KeyValuePair<string, string>[] Decode(byte[] data)
    {
        using var reader = new BinaryReader(new MemoryStream(data, writable: false), Encoding.UTF8);
        var version = reader.ReadByte();
        if (version != FormatVersion)
        {
            throw new CheckpointStoreException($"A shared properties record has format {version}; this version of Graph.Engine reads format {FormatVersion}.");
        }

        var entries = new KeyValuePair<string, string>[reader.Read7BitEncodedInt()];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = new KeyValuePair<string, string>(reader.ReadString(), reader.ReadString());
        }

        return entries;
    }
}
