using System.Security.Cryptography;
using System.Text;
using Graph.Engine.Checkpoints;
using Graph.Engine.Checkpoints.Storage;
using Npgsql;

namespace Graph.Engine.Postgres;

/// <summary>The checks of what was read against the thread's records: its head row and the write counts of older checkpoints.</summary>
internal sealed partial class PostgresCheckpointReader
{
    /// <summary>The head digest as the schema's <c>head_digest</c> function computes it.</summary>
    public static byte[] HeadDigest(string threadId, long latest, long writes) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(FormattableString.Invariant($"{latest}:{writes}:{threadId}")));

    /// <summary>The write-count digest as the schema's <c>write_count_digest</c> function computes it.</summary>
    public static byte[] WriteCountDigest(string threadId, long checkpointId, long writes) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(FormattableString.Invariant($"writes:{checkpointId}:{writes}:{threadId}")));

    private static void ReadWriteCount(NpgsqlDataReader reader, string threadId, Dictionary<long, long> counts)
    {
        var (id, writes, digest) = (reader.GetInt64(0), reader.GetInt64(1), (byte[])reader[2]);
        if (!CryptographicOperations.FixedTimeEquals(digest, WriteCountDigest(threadId, id, writes)))
        {
            throw StoreDamage.Checkpoint(threadId, id, "its pending-write count record does not match its digest");
        }

        counts[id] = writes;
    }

    /// <summary>Checks what was read against the thread's head, so rows that vanished from the thread are reported, not skipped.</summary>
    private static void CheckHead(string threadId, List<Checkpoint> found, (long Latest, long Writes)? head, bool latestAsked)
    {
        if (head is not { } h)
        {
            if (found.Count > 0)
            {
                throw StoreDamage.Checkpoint(threadId, found[0].Id, "its thread has no head record");
            }

            return;
        }

        if (latestAsked && (found.Count == 0 || found[0].Id != h.Latest))
        {
            throw StoreDamage.Checkpoint(threadId, h.Latest, $"it is the thread's latest checkpoint but cannot be read (the latest found is {(found.Count == 0 ? "none" : found[0].Id)})");
        }

        foreach (var checkpoint in found)
        {
            if (checkpoint.Id > h.Latest)
            {
                throw StoreDamage.Checkpoint(threadId, checkpoint.Id, $"it is newer than the thread's recorded latest checkpoint {h.Latest}");
            }

            if (checkpoint.Id == h.Latest && checkpoint.PendingWrites.Count != h.Writes)
            {
                throw StoreDamage.Checkpoint(threadId, h.Latest, $"it has {checkpoint.PendingWrites.Count} pending write(s) where {h.Writes} were recorded");
            }
        }
    }

    /// <summary>
    /// Checks the pending writes read for checkpoints older than the latest against their recorded counts (no record:
    /// none), so a pending write of an older checkpoint that vanished is reported, not skipped.
    /// </summary>
    private static void CheckWriteCounts(string threadId, List<Checkpoint> found, long? latest, Dictionary<long, long> counts)
    {
        foreach (var checkpoint in found)
        {
            var recorded = counts.GetValueOrDefault(checkpoint.Id);
            if (checkpoint.Id != latest && checkpoint.PendingWrites.Count != recorded)
            {
                throw StoreDamage.Checkpoint(threadId, checkpoint.Id, $"it has {checkpoint.PendingWrites.Count} pending write(s) where {recorded} were recorded");
            }
        }
    }
}
