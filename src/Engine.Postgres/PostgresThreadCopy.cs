using Graph.Engine.Checkpoints;
using Graph.Engine.Checkpoints.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Graph.Engine.Postgres;

/// <summary>
/// Copies a thread in one transaction: the source's head is locked (shared) so it cannot change meanwhile, the target's
/// head is inserted first (so a concurrent copy to the same target fails) and gives the copy its thread key, and the
/// rows (checkpoints, pending writes, write counts) are copied server-side with digests recomputed for the new thread
/// id (a digest covers its row's thread). States are shared, not copied.
/// </summary>
internal sealed class PostgresThreadCopy(string schema)
{
    private readonly string lockSource = PostgresSchema.Sql(schema, "SELECT thread_key, latest_id, latest_writes FROM {s}.threads WHERE thread_id = $1 AND length(digest) > 0 FOR SHARE");
    private readonly string insertHead = PostgresSchema.Sql(schema, """
        INSERT INTO {s}.threads (thread_id, latest_id, latest_writes, digest) VALUES ($1, $2, $3, {s}.head_digest($1, $2, $3))
        ON CONFLICT (thread_id) DO NOTHING RETURNING thread_key
        """);

    private readonly string sourceRows = PostgresSchema.Sql(schema, """
        SELECT id, parent_id, step, state_type, state_hash, next_tasks, planner_state, metadata, created_ticks, created_offset_minutes
        FROM {s}.checkpoints WHERE thread_key = $1
        """);

    private readonly string copyRows = PostgresSchema.Sql(schema, """
        INSERT INTO {s}.checkpoints (thread_key, id, parent_id, step, state_type, state_hash, next_tasks, planner_state, metadata,
                                     created_ticks, created_offset_minutes, digest)
        SELECT $2, c.id, c.parent_id, c.step, c.state_type, c.state_hash, c.next_tasks, c.planner_state, c.metadata, c.created_ticks, c.created_offset_minutes, d.digest
        FROM {s}.checkpoints c JOIN unnest($3::bigint[], $4::bytea[]) AS d(id, digest) ON d.id = c.id
        WHERE c.thread_key = $1
        """);

    private readonly string sourceWrites = PostgresSchema.Sql(schema, "SELECT seq, checkpoint_id, task_id, node, kind, payload FROM {s}.writes WHERE thread_key = $1");
    private readonly string copyWrites = PostgresSchema.Sql(schema, """
        INSERT INTO {s}.writes (thread_key, checkpoint_id, task_id, node, kind, payload, digest)
        SELECT $2, w.checkpoint_id, w.task_id, w.node, w.kind, w.payload, d.digest
        FROM {s}.writes w JOIN unnest($3::bigint[], $4::bytea[]) AS d(seq, digest) ON d.seq = w.seq
        WHERE w.thread_key = $1 ORDER BY w.checkpoint_id, w.seq
        """);

    private readonly string copyWriteCounts = PostgresSchema.Sql(schema, """
        INSERT INTO {s}.write_counts (thread_key, checkpoint_id, writes, digest)
        SELECT $2, checkpoint_id, writes, {s}.write_count_digest($3, checkpoint_id, writes) FROM {s}.write_counts WHERE thread_key = $1
        """);

    public async Task<object?> CopyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string source, string target, CancellationToken cancellationToken)
    {
        (long Key, long Latest, long Writes) head;
        await using (var command = Command(connection, transaction, lockSource, source))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            head = await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2))
                : throw new CheckpointStoreException($"Cannot copy thread '{source}': it does not exist.");
        }

        long targetKey;
        await using (var command = Command(connection, transaction, insertHead, target, head.Latest, head.Writes))
        {
            targetKey = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long key
                ? key
                : throw new CheckpointStoreException($"Cannot copy thread '{source}' to '{target}': the target already exists.");
        }

        var (ids, digests) = (new List<long>(), new List<byte[]>());
        await using (var command = Command(connection, transaction, sourceRows, head.Key))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetInt64(0);
                ids.Add(id);
                digests.Add(CheckpointRowDigest.Checkpoint(
                    target, id, reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetInt32(2), reader.GetString(3), (byte[])reader[4],
                    (byte[])reader[5], (byte[])reader[6], (byte[])reader[7], reader.GetInt64(8), reader.GetInt32(9)));
            }
        }

        await using (var command = Command(connection, transaction, copyRows, head.Key, targetKey, ids.ToArray(), digests.ToArray()))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var (seqs, writeDigests) = (new List<long>(), new List<byte[]>());
        await using (var command = Command(connection, transaction, sourceWrites, head.Key))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                seqs.Add(reader.GetInt64(0));
                writeDigests.Add(PostgresStatements.WriteDigest(target, reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetInt16(4), (byte[])reader[5]));
            }
        }

        await using (var command = Command(connection, transaction, copyWrites, head.Key, targetKey, seqs.ToArray(), writeDigests.ToArray()))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var command = Command(connection, transaction, copyWriteCounts, head.Key, targetKey, target))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params object[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(value switch
            {
                string text => new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = text },
                long number => new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = number },
                long[] numbers => new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = numbers },
                _ => new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea, Value = value },
            });
        }

        return command;
    }
}
