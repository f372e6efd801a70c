using Graph.Engine.Checkpoints;
using Graph.Engine.Checkpoints.Storage;
using Microsoft.Data.Sqlite;

namespace Graph.Engine.Sqlite;

/// <summary>
/// Checks the reference structure of a store file: every checkpoint's state exists (in its row or in <c>blobs</c>), every state is used, every chunk a
/// manifest lists exists and has as many references as manifests list it, every shared properties record a checkpoint names exists, every pending write (and write count) belongs
/// to a checkpoint and every thread has exactly its head row.
/// </summary>
internal static class SqliteConsistency
{
    public static CheckpointConsistencyReport Check(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction(deferred: true);
        long Count(string sql)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        // A checkpoint whose row holds its state (state IS NOT NULL) neither needs nor keeps a blob.
        var danglingStates = Count("SELECT count(*) FROM checkpoints c WHERE c.state IS NULL AND NOT EXISTS (SELECT 1 FROM blobs b WHERE b.hash = c.state_hash)");
        var unusedStates = Count("SELECT count(*) FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM checkpoints c WHERE c.state_hash = b.hash AND c.state IS NULL)");
        var missingShared = Count($"SELECT count(*) FROM checkpoints c WHERE {SqliteSchema.NamesSharedProperties} AND NOT EXISTS (SELECT 1 FROM shared_properties p WHERE p.hash = {SqliteSchema.SharedPropertiesHash})");
        var orphanWrites = Count("SELECT count(*) FROM writes w WHERE NOT EXISTS (SELECT 1 FROM checkpoints c WHERE c.thread_key = w.thread_key AND c.id = w.checkpoint_id)")
            + Count("SELECT count(*) FROM write_counts n WHERE NOT EXISTS (SELECT 1 FROM checkpoints c WHERE c.thread_key = n.thread_key AND c.id = n.checkpoint_id)");

        // Headless: rows whose key no head row has, head rows standing for a missing one (an empty digest, see
        // SqliteThreadKeyMigration) and head rows whose latest checkpoint is missing.
        var headless = Count("SELECT count(*) FROM (SELECT DISTINCT thread_key FROM checkpoints) t WHERE NOT EXISTS (SELECT 1 FROM threads h WHERE h.thread_key = t.thread_key)")
            + Count("SELECT count(*) FROM threads h WHERE length(h.digest) = 0 OR NOT EXISTS (SELECT 1 FROM checkpoints c WHERE c.thread_key = h.thread_key AND c.id = h.latest_id)");

        var listed = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var manifests = connection.CreateCommand())
        {
            manifests.Transaction = transaction;
            manifests.CommandText = $"SELECT data FROM blobs WHERE kind = {StateChunks.ChunkedKind}";
            using var reader = manifests.ExecuteReader();
            while (reader.Read())
            {
                foreach (var hash in StateChunks.DecodeManifest((byte[])reader[0]).Hashes)
                {
                    var key = Convert.ToHexString(hash);
                    listed[key] = listed.GetValueOrDefault(key) + 1;
                }
            }
        }

        long missingChunks = 0, leakedChunks = 0, wrongRefs = 0;
        var stored = new HashSet<string>(StringComparer.Ordinal);
        using (var chunks = connection.CreateCommand())
        {
            chunks.Transaction = transaction;
            chunks.CommandText = "SELECT hash, refs FROM chunks";
            using var reader = chunks.ExecuteReader();
            while (reader.Read())
            {
                var key = Convert.ToHexString((byte[])reader[0]);
                stored.Add(key);
                var refs = reader.GetInt64(1);
                var expected = listed.GetValueOrDefault(key);
                if (expected == 0)
                {
                    leakedChunks++;
                }
                else if (refs != expected)
                {
                    wrongRefs++;
                }
            }
        }

        missingChunks = listed.Keys.Count(key => !stored.Contains(key));
        transaction.Commit();
        return new CheckpointConsistencyReport(danglingStates, unusedStates, missingChunks, leakedChunks, wrongRefs, orphanWrites, headless)
        {
            MissingSharedProperties = missingShared,
        };
    }
}
