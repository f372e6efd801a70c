using System.Data.Common;
using System.Security.Cryptography;
using System.Text;

namespace Graph.Engine.Graphs;

/// <summary>
/// The SHA-256 a durable node cache stores with each row (SQLite's and PostgreSQL's <c>node_cache</c> tables), over the
/// node, key, expiry and value in a fixed, length-prefixed order, and the reading of such a row: a row whose digest
/// does not match is treated as absent.
/// </summary>
internal static class NodeCacheRowDigest
{
    /// <summary>The digest of a row; <paramref name="expiresTicks"/> is the expiry's UTC ticks, or null for never.</summary>
    public static byte[] Of(string node, string key, ReadOnlySpan<byte> value, long? expiresTicks)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var text in new[] { node, key })
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
        }

        hash.AppendData(BitConverter.GetBytes(expiresTicks ?? -1));
        hash.AppendData(value);
        return hash.GetHashAndReset();
    }

    /// <summary>
    /// The entry of the row <paramref name="reader"/> is on, whose first three columns are the value, the expiry's UTC
    /// ticks (null for never) and the digest; null when the digest does not match.
    /// </summary>
    public static NodeCacheEntry? Read(DbDataReader reader, string node, string key)
    {
        var value = (byte[])reader.GetValue(0);
        long? ticks = reader.IsDBNull(1) ? null : reader.GetInt64(1);
        var digest = (byte[])reader.GetValue(2);
        return Of(node, key, value, ticks).AsSpan().SequenceEqual(digest)
            ? new NodeCacheEntry(value, ticks is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : null)
            : null;
    }
}
