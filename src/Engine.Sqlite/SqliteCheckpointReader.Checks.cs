using System.Security.Cryptography;
using Graph.Engine.Checkpoints;
using Graph.Engine.Checkpoints.Storage;
using Microsoft.Data.Sqlite;

namespace Graph.Engine.Sqlite;

/// <summary>The checks of what was read against the thread's records: its head row and the write counts of older checkpoints.</summary>
internal static partial class SqliteCheckpointReader
{
    /// <summary>
    /// Checks what was read against the thread's head row (its latest checkpoint and that checkpoint's number of pending
    /// writes), so rows that vanished from the thread (a damaged index, a changed key) are reported, not skipped.
    /// </summary>
    /// <returns>The thread's latest checkpoint id, or null for a thread without a head.</returns>
    private static long? CheckHead(SqliteConnection connection, string threadId, List<Checkpoint> checkpoints, bool latestAsked)
    {
        var command = Command(connection, "SELECT latest_id, latest_writes, digest FROM threads WHERE thread_id = $thread");
        command.Parameters.AddWithValue("$thread", threadId);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            if (checkpoints.Count > 0)
            {
                throw StoreDamage.Checkpoint(threadId, checkpoints[0].Id, "its thread has no head record");
            }

            return null;
        }

        var (latest, writes) = (reader.GetInt64(0), reader.GetInt64(1));
        var digest = reader.IsDBNull(2) ? [] : (byte[])reader[2];
        if (!CryptographicOperations.FixedTimeEquals(digest, CheckpointRowDigest.Head(threadId, latest, writes)))
        {
            throw StoreDamage.Checkpoint(threadId, latest, "its thread's head record does not match its digest");
        }

        if (latestAsked && (checkpoints.Count == 0 || checkpoints[0].Id != latest))
        {
            throw StoreDamage.Checkpoint(threadId, latest, $"it is the thread's latest checkpoint but cannot be read (the latest found is {(checkpoints.Count == 0 ? "none" : checkpoints[0].Id)})");
        }

        foreach (var checkpoint in checkpoints)
        {
            if (checkpoint.Id > latest)
            {
                throw StoreDamage.Checkpoint(threadId, checkpoint.Id, $"it is newer than the thread's recorded latest checkpoint {latest}");
            }

            if (checkpoint.Id == latest && checkpoint.PendingWrites.Count != writes)
            {
                throw StoreDamage.Checkpoint(threadId, latest, $"it has {checkpoint.PendingWrites.Count} pending write(s) where {writes} were recorded");
            }
        }

        return latest;
    }

    /// <summary>
    /// Checks the pending writes read for checkpoints older than the latest against their recorded counts (no row: none),
    /// so a pending write of an older checkpoint that vanished is reported, not skipped.
    /// </summary>
    private static void CheckWriteCounts(SqliteConnection connection, string threadId, List<Checkpoint> checkpoints, long? latest)
    {
        var command = Command(connection, "SELECT checkpoint_id, writes, digest FROM write_counts WHERE thread_id = $thread AND checkpoint_id BETWEEN $low AND $high");
        command.Parameters.AddWithValue("$thread", threadId);
        command.Parameters.AddWithValue("$low", checkpoints[^1].Id);
        command.Parameters.AddWithValue("$high", checkpoints[0].Id);
        var counts = new Dictionary<long, long>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var (id, writes) = (reader.GetInt64(0), reader.GetInt64(1));
                var digest = reader.IsDBNull(2) ? [] : (byte[])reader[2];
                if (!CryptographicOperations.FixedTimeEquals(digest, CheckpointRowDigest.WriteCount(threadId, id, writes)))
                {
                    throw StoreDamage.Checkpoint(threadId, id, "its pending-write count record does not match its digest");
                }

                counts[id] = writes;
            }
        }

        foreach (var checkpoint in checkpoints)
        {
            if (checkpoint.Id != latest && checkpoint.PendingWrites.Count != counts.GetValueOrDefault(checkpoint.Id))
            {
                throw StoreDamage.Checkpoint(threadId, checkpoint.Id, $"it has {checkpoint.PendingWrites.Count} pending write(s) where {counts.GetValueOrDefault(checkpoint.Id)} were recorded");
            }
        }
    }
}
