using Microsoft.Data.Sqlite;

namespace Graph.Engine.Sqlite;

/// <summary>
/// Version 5 to 6: rows refer to their thread by an integer key instead of its id (see
/// <see cref="SqliteSchema.ThreadTablesSql"/>). SQLite cannot change a primary key in place, so <c>threads</c>,
/// <c>checkpoints</c>, <c>writes</c> and <c>write_counts</c> are rebuilt: each thread gets its key (in the order of its
/// id) and every row is copied unchanged but for that key. Digests cover the thread's id, so none is recomputed; a NULL
/// digest (only damage leaves one) becomes empty, so it still fails its check. Inside the caller's migration
/// transaction: a file is migrated whole or not at all. The rebuild copies those four tables, so the first open of a
/// large version 5 file takes as long as copying them (2.7 s for 20,000 chain10 runs, 140 MB), and their old pages stay
/// free in the file until later writes reuse them or <c>graph compact</c> returns them.
/// </summary>
/// <remarks>
/// A damaged file may have rows of a thread without a head row. Their thread still gets a key, with a head row whose
/// digest is empty: reading that thread reports that it has no head record, as before, and the consistency check
/// counts it as headless. No row is dropped.
/// </remarks>
internal static class SqliteThreadKeyMigration
{
    public static void Apply(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            DROP INDEX checkpoints_by_state;
            ALTER TABLE threads RENAME TO threads_v5;
            ALTER TABLE checkpoints RENAME TO checkpoints_v5;
            ALTER TABLE writes RENAME TO writes_v5;
            ALTER TABLE write_counts RENAME TO write_counts_v5;
            {SqliteSchema.ThreadTablesSql}
            INSERT INTO threads (thread_id, latest_id, latest_writes, digest)
                SELECT thread_id, latest_id, latest_writes, digest FROM threads_v5 ORDER BY thread_id;
            INSERT INTO threads (thread_id, latest_id, latest_writes, digest)
                SELECT thread_id, max(id), 0, X'' FROM (
                    SELECT thread_id, id FROM checkpoints_v5
                    UNION ALL SELECT thread_id, checkpoint_id FROM writes_v5
                    UNION ALL SELECT thread_id, checkpoint_id FROM write_counts_v5)
                WHERE thread_id NOT IN (SELECT thread_id FROM threads_v5)
                GROUP BY thread_id ORDER BY thread_id;
            INSERT INTO checkpoints
                SELECT t.thread_key, c.id, c.parent_id, c.step, c.state_type, c.state_hash, c.next_tasks, c.planner_state, c.metadata,
                       c.created_ticks, c.created_offset_minutes, coalesce(c.digest, X''), c.state
                FROM checkpoints_v5 c JOIN threads t ON t.thread_id = c.thread_id ORDER BY t.thread_key, c.id;
            INSERT INTO writes
                SELECT t.thread_key, w.checkpoint_id, w.seq, w.task_id, w.node, w.kind, w.payload, coalesce(w.digest, X'')
                FROM writes_v5 w JOIN threads t ON t.thread_id = w.thread_id ORDER BY t.thread_key, w.checkpoint_id, w.seq;
            INSERT INTO write_counts
                SELECT t.thread_key, n.checkpoint_id, n.writes, n.digest
                FROM write_counts_v5 n JOIN threads t ON t.thread_id = n.thread_id ORDER BY t.thread_key, n.checkpoint_id;
            DROP TABLE threads_v5;
            DROP TABLE checkpoints_v5;
            DROP TABLE writes_v5;
            DROP TABLE write_counts_v5;
            UPDATE graph_schema SET value = '6' WHERE name = 'version';
            """;
        command.ExecuteNonQuery();
    }
}
