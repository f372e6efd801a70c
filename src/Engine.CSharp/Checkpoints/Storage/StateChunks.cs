using System.Buffers.Binary;

namespace Graph.Engine.Checkpoints.Storage;

/// <summary>
/// Content-defined chunking of serialized states, shared by the durable stores (SQLite from schema version 2, PostgreSQL). A state larger than <see cref="InlineLimit"/> is
/// cut where a Gear rolling hash of the last bytes hits a boundary pattern, so the cut points depend on the content
/// around them, not on offsets: a small edit changes the chunk(s) it falls in and the rest of the state yields the
/// same chunks as before. Chunks are stored once each under their SHA-256; a state is stored as its manifest, the
/// list of its chunk hashes.
/// </summary>
/// <remarks>
/// The Gear table comes from a fixed SplitMix64 sequence: it is part of the file format (the same bytes must give the
/// same chunks in every process and version), never a runtime random source.
/// </remarks>
internal static class StateChunks
{
    /// <summary>States up to this size are stored whole (blob kind <see cref="RawKind"/>): chunking them saves nothing.</summary>
    public const int InlineLimit = 2048;

    /// <summary>No boundary before this many bytes of a chunk.</summary>
    public const int MinChunk = 256;

    /// <summary>A chunk is cut here whatever the content.</summary>
    public const int MaxChunk = 4096;

    /// <summary>A boundary is where <c>hash &amp; Mask == 0</c> past <see cref="MinChunk"/>: 1 in 512 positions past the minimum, so chunks of ~0.75 KiB on average.</summary>
    public const ulong Mask = 0x1FFUL << 55;

    /// <summary>Blob kind: the blob's data is the serialized state.</summary>
    public const long RawKind = 0;

    /// <summary>Blob kind: the blob's data is a manifest (<see cref="EncodeManifest"/>).</summary>
    public const long ChunkedKind = 1;

    /// <summary>Chunks are keyed by the first 16 bytes of their SHA-256 (128 bits: no collision in any realistic store).</summary>
    public const int HashSize = 16;

    private const byte ManifestVersion = 1;

    private static readonly ulong[] Gear = CreateGear();

    /// <summary>The lengths of the chunks of <paramref name="data"/>, in order (they add up to its length).</summary>
    public static List<int> Cut(ReadOnlySpan<byte> data)
    {
        var lengths = new List<int>((data.Length / 1024) + 1);
        var start = 0;
        while (start < data.Length)
        {
            var length = NextCut(data[start..]);
            lengths.Add(length);
            start += length;
        }

        return lengths;
    }

    /// <summary>A manifest: version, total length, chunk count, then the chunk hashes.</summary>
    public static byte[] EncodeManifest(int totalLength, IReadOnlyList<byte[]> hashes)
    {
        var manifest = new byte[1 + 4 + 4 + (hashes.Count * HashSize)];
        manifest[0] = ManifestVersion;
        BinaryPrimitives.WriteInt32LittleEndian(manifest.AsSpan(1), totalLength);
        BinaryPrimitives.WriteInt32LittleEndian(manifest.AsSpan(5), hashes.Count);
        for (var i = 0; i < hashes.Count; i++)
        {
            hashes[i].CopyTo(manifest, 9 + (i * HashSize));
        }

        return manifest;
    }

    /// <summary>Reads a manifest: the state's length and its chunk hashes in order.</summary>
    public static (int TotalLength, byte[][] Hashes) DecodeManifest(byte[] manifest)
    {
        if (manifest.Length < 9 || manifest[0] != ManifestVersion)
        {
            throw new CheckpointStoreException($"Unknown state manifest (version {(manifest.Length > 0 ? manifest[0] : -1)}, {manifest.Length} bytes).");
        }

        var total = BinaryPrimitives.ReadInt32LittleEndian(manifest.AsSpan(1));
        var count = BinaryPrimitives.ReadInt32LittleEndian(manifest.AsSpan(5));
        if (count < 0 || manifest.Length != 9 + ((long)count * HashSize) || total < 0)
        {
            throw new CheckpointStoreException($"Corrupt state manifest ({count} chunk(s) in {manifest.Length} bytes).");
        }

        var hashes = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            hashes[i] = manifest.AsSpan(9 + (i * HashSize), HashSize).ToArray();
        }

        return (total, hashes);
    }

    private static int NextCut(ReadOnlySpan<byte> data)
    {
        if (data.Length <= MinChunk)
        {
            return data.Length;
        }

        var end = Math.Min(data.Length, MaxChunk);
        ulong hash = 0;
        for (var i = MinChunk - 64; i < MinChunk; i++)
        {
            hash = (hash << 1) + Gear[data[i]];
        }

        for (var i = MinChunk; i < end; i++)
        {
            hash = (hash << 1) + Gear[data[i]];
            if ((hash & Mask) == 0)
            {
                return i + 1;
            }
        }

        return end;
    }

    private static ulong[] CreateGear()
    {
        var table = new ulong[256];
        var x = 0x4752504843484B53UL; // "GRPHCHKS"
        for (var i = 0; i < table.Length; i++)
        {
            x += 0x9E3779B97F4A7C15UL;
            var z = x;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            table[i] = z ^ (z >> 31);
        }

        return table;
    }
}
