using System.Security.Cryptography;
using Graph.Engine.Checkpoints;
using Graph.Engine.Checkpoints.Storage;
using Microsoft.Data.Sqlite;

namespace Graph.Engine.Sqlite;

/// <summary>The checks of what was read against the thread's records: its head row and the write counts of older checkpoints.</summary>
internal static partial class SqliteCheckpointReader
{
    /// <summary>
    /// Reads the thread's head row (its key, its latest checkpoint and that checkpoint's number of pending writes) and
    /// checks it against its digest. A head row with an empty digest stands for rows a version 5 file had without a
    /// head (see <see cref="SqliteThreadKeyMigration"/>).
    /// </summary>
    /// <returns>The head, or null for a thread without a head row (a thread with no checkpoint).</returns>
    private static (long Key, long Latest, long Writes)? ReadHead(SqliteConnection connection, string threadId)
    {
        var command = Command(connection, "SELECT thread_key, latest_id, latest_writes, digest FROM threads WHERE thread_id = $thread");
        command.Parameters.AddWithValue("$thread", threadId);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var (key, latest, writes) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        var digest = reader.IsDBNull(3) ? [] : (byte[])reader[3];
        if (digest.Length == 0)
        {
            throw StoreDamage.Checkpoint(threadId, latest, "its thread has no head record");
        }

        if (!CryptographicOperations.FixedTimeEquals(digest, CheckpointRowDigest.Head(threadId, latest, writes)))
        {
            throw StoreDamage.Checkpoint(threadId, latest, "its thread's head record does not match its digest");
        }

        return (key, latest, writes);
    }

    /// <summary>
    /// Checks what was read against the thread's head (its latest checkpoint and that checkpoint's number of pending
    /// writes), so rows that vanished from the thread (a damaged index, a changed key) are reported, not skipped.
    /// </summary>
    private static void CheckHead((long Key, long Latest, long Writes) head, string threadId, List<Checkpoint> checkpoints, bool latestAsked)
    {
        var (_, latest, writes) = head;
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
    }

    /// <summary>
    /// Checks the pending writes read for checkpoints older than the latest against their recorded counts (no row: none),
    /// so a pending write of an older checkpoint that vanished is reported, not skipped.
    /// </summary>
    private static void CheckWriteCounts(SqliteConnection connection, long key, string threadId, List<Checkpoint> checkpoints, long latest)
    {
        var command = Command(connection, "SELECT checkpoint_id, writes, digest FROM write_counts WHERE thread_key = $key AND checkpoint_id BETWEEN $low AND $high");
        command.Parameters.AddWithValue("$key", key);
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
