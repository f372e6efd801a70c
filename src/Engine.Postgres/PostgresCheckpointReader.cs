using System.Data;
using System.Security.Cryptography;
using Graph.Engine.Checkpoints;
using Graph.Engine.Checkpoints.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Graph.Engine.Postgres;

/// <summary>
/// Reads checkpoints with their states and pending writes in one repeatable-read transaction (one batch, plus one
/// query for chunks when a state is chunked) and verifies everything: each row against its digest, each state against
/// its SHA-256, each chunk against its hash, and the rows against the thread's head and write counts. What does not match is a
/// <see cref="CheckpointStoreException"/> naming the thread, the checkpoint and what failed.
/// </summary>
internal sealed partial class PostgresCheckpointReader(string schema)
{
    private readonly string checkpoints = PostgresSchema.Sql(schema, $$"""
        SELECT c.id, c.parent_id, c.step, c.state_type, b.data, c.next_tasks, c.planner_state, c.metadata, c.created_ticks,
               c.created_offset_minutes, b.kind, c.state_hash, c.digest, p.data
        FROM {s}.checkpoints c LEFT JOIN {s}.blobs b ON b.hash = c.state_hash
        LEFT JOIN {s}.shared_properties p ON {{PostgresMigrations.NamesSharedProperties}} AND p.hash = {{PostgresMigrations.SharedPropertiesHash}}
        WHERE c.thread_key = {{PostgresMigrations.ThreadKey}}
            AND ($2::bigint IS NULL OR c.id = $2) AND ($3::bigint IS NULL OR c.id < $3)
        ORDER BY c.id DESC LIMIT $4
        """);

    private readonly string writes = PostgresSchema.Sql(schema, $$"""
        SELECT w.checkpoint_id, w.task_id, w.node, w.kind, w.payload, w.digest FROM {s}.writes w
        WHERE w.thread_key = {{PostgresMigrations.ThreadKey}} AND w.checkpoint_id IN (
            SELECT c.id FROM {s}.checkpoints c
            WHERE c.thread_key = {{PostgresMigrations.ThreadKey}} AND ($2::bigint IS NULL OR c.id = $2) AND ($3::bigint IS NULL OR c.id < $3)
            ORDER BY c.id DESC LIMIT $4)
        ORDER BY w.checkpoint_id, w.seq
        """);

    private readonly string writeCounts = PostgresSchema.Sql(schema, $$"""
        SELECT n.checkpoint_id, n.writes, n.digest FROM {s}.write_counts n
        WHERE n.thread_key = {{PostgresMigrations.ThreadKey}} AND n.checkpoint_id IN (
            SELECT c.id FROM {s}.checkpoints c
            WHERE c.thread_key = {{PostgresMigrations.ThreadKey}} AND ($2::bigint IS NULL OR c.id = $2) AND ($3::bigint IS NULL OR c.id < $3)
            ORDER BY c.id DESC LIMIT $4)
        """);

    private readonly string head = PostgresSchema.Sql(schema, "SELECT latest_id, latest_writes, digest FROM {s}.threads WHERE thread_id = $1");
    private readonly string chunks = PostgresSchema.Sql(schema, "SELECT hash, data FROM {s}.chunks WHERE hash = ANY($1)");

    public string ThreadsSql { get; } = PostgresSchema.Sql(schema, "SELECT thread_id FROM {s}.threads");

    public async Task<List<Checkpoint>> ReadAsync(NpgsqlConnection connection, string threadId, long? id, long? before, int? limit, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var sql in new[] { checkpoints, writes, writeCounts })
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = threadId });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)id ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)before ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)limit ?? DBNull.Value });
            batch.BatchCommands.Add(command);
        }

        var headCommand = new NpgsqlBatchCommand(head);
        headCommand.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = threadId });
        batch.BatchCommands.Add(headCommand);

        var found = new List<Checkpoint>();
        var states = new List<(byte[] Hash, byte[] Stored, long Kind)>();
        var pending = new Dictionary<long, List<PendingWrite>>();
        var counts = new Dictionary<long, long>();
        (long Latest, long Writes)? threadHead = null;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found.Add(ReadRow(reader, threadId, out var state));
                states.Add(state);
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ReadWrite(reader, threadId, pending);
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ReadWriteCount(reader, threadId, counts);
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var (latest, count, digest) = (reader.GetInt64(0), reader.GetInt64(1), (byte[])reader[2]);
                if (digest.Length == 0)
                {
                    // A head row with an empty digest stands for rows that had no head before version 5.
                    throw StoreDamage.Checkpoint(threadId, latest, "its thread has no head record");
                }

                if (!CryptographicOperations.FixedTimeEquals(digest, HeadDigest(threadId, latest, count)))
                {
                    throw StoreDamage.Checkpoint(threadId, latest, "its thread's head record does not match its digest");
                }

                threadHead = (latest, count);
            }
        }

        var chunked = states.Where(s => s.Kind == StateChunks.ChunkedKind).ToList();
        var chunkData = chunked.Count == 0 ? [] : await ReadChunksAsync(connection, transaction, found, states, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < found.Count; i++)
        {
            var state = Reassemble(found[i], states[i], chunkData);
            found[i] = found[i] with { State = state, PendingWrites = pending.TryGetValue(found[i].Id, out var list) ? list.ToArray() : [] };
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        CheckHead(threadId, found, threadHead, latestAsked: id is null && before is null && limit != 0);
        CheckWriteCounts(threadId, found, threadHead?.Latest, counts);
        return found;
    }

    private async Task<Dictionary<string, byte[]>> ReadChunksAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<Checkpoint> found, List<(byte[] Hash, byte[] Stored, long Kind)> states, CancellationToken cancellationToken)
    {
        var wanted = new List<byte[]>();
        for (var i = 0; i < found.Count; i++)
        {
            if (states[i].Kind == StateChunks.ChunkedKind)
            {
                var stored = states[i].Stored;
                wanted.AddRange(StoreDamage.Decoding(found[i].ThreadId, found[i].Id, "its state manifest", () => StateChunks.DecodeManifest(stored)).Hashes);
            }
        }

        await using var command = new NpgsqlCommand(chunks, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea, Value = wanted.ToArray() });
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            data[Convert.ToHexString((byte[])reader[0])] = (byte[])reader[1];
        }

        return data;
    }

    private static byte[] Reassemble(Checkpoint checkpoint, (byte[] Hash, byte[] Stored, long Kind) stored, Dictionary<string, byte[]> chunkData)
    {
        var (threadId, id) = (checkpoint.ThreadId, checkpoint.Id);
        byte[] state;
        if (stored.Kind == StateChunks.RawKind)
        {
            state = stored.Stored;
        }
        else if (stored.Kind == StateChunks.ChunkedKind)
        {
            var (total, hashes) = StoreDamage.Decoding(threadId, id, "its state manifest", () => StateChunks.DecodeManifest(stored.Stored));
            using var joined = new MemoryStream(total);
            foreach (var hash in hashes)
            {
                var key = Convert.ToHexString(hash);
                var chunk = chunkData.GetValueOrDefault(key) ?? throw StoreDamage.Checkpoint(threadId, id, $"its state chunk {key} is missing");
                if (!RowHash.Sha256(chunk).AsSpan(0, StateChunks.HashSize).SequenceEqual(hash))
                {
                    throw StoreDamage.Checkpoint(threadId, id, $"its state chunk {key} does not match its hash (the chunk was changed in the database)");
                }

                joined.Write(chunk);
            }

            if (joined.Length != total)
            {
                throw StoreDamage.Checkpoint(threadId, id, $"its state chunks add up to {joined.Length} bytes; its recorded length is {total}");
            }

            state = joined.ToArray();
        }
        else
        {
            throw StoreDamage.Checkpoint(threadId, id, $"its state is stored with an unknown kind {stored.Kind}");
        }

        return CryptographicOperations.FixedTimeEquals(RowHash.Sha256(state), stored.Hash)
            ? state
            : throw StoreDamage.Checkpoint(threadId, id, "its state does not match its SHA-256 (the state was changed in the database)");
    }

    private static Checkpoint ReadRow(NpgsqlDataReader reader, string threadId, out (byte[] Hash, byte[] Stored, long Kind) state)
    {
        var id = reader.GetInt64(0);
        var parentId = reader.IsDBNull(1) ? (long?)null : reader.GetInt64(1);
        var step = reader.GetInt32(2);
        var stateType = reader.GetString(3);
        var (tasks, planner, metadata) = ((byte[])reader[5], (byte[])reader[6], (byte[])reader[7]);
        var (ticks, offset) = (reader.GetInt64(8), reader.GetInt32(9));
        var stateHash = (byte[])reader[11];
        var digest = (byte[])reader[12];
        var expected = CheckpointRowDigest.Checkpoint(threadId, id, parentId, step, stateType, stateHash, tasks, planner, metadata, ticks, offset);
        if (!CryptographicOperations.FixedTimeEquals(digest, expected))
        {
            throw StoreDamage.Checkpoint(threadId, id, "its row does not match its digest (a field was changed in the database)");
        }

        if (reader.IsDBNull(4))
        {
            throw StoreDamage.Checkpoint(threadId, id, $"its state {Convert.ToHexString(stateHash)} is missing");
        }

        state = (stateHash, (byte[])reader[4], reader.GetInt16(10));
        var shared = SharedProperties.ForCheckpoint(threadId, id, metadata, reader.IsDBNull(13) ? null : (byte[])reader[13]);
        return StoreDamage.Decoding(threadId, id, "its fields", () => new Checkpoint
        {
            ThreadId = threadId,
            Id = id,
            ParentId = parentId,
            Step = step,
            StateType = stateType,
            NextTasks = CheckpointRecordCodec.DecodeTasks(tasks),
            PlannerState = planner,
            Metadata = CheckpointRecordCodec.DecodeMetadata(metadata, shared),
            CreatedAt = new DateTimeOffset(ticks, TimeSpan.FromMinutes(offset)),
        });
    }

    private static void ReadWrite(NpgsqlDataReader reader, string threadId, Dictionary<long, List<PendingWrite>> pending)
    {
        var id = reader.GetInt64(0);
        var (task, node, kind, payload, digest) = (reader.GetString(1), reader.GetString(2), reader.GetInt16(3), (byte[])reader[4], (byte[])reader[5]);
        if (!CryptographicOperations.FixedTimeEquals(digest, PostgresStatements.WriteDigest(threadId, id, task, node, kind, payload)))
        {
            throw StoreDamage.Checkpoint(threadId, id, $"a pending write of task '{task}' does not match its digest (a field was changed in the database)");
        }

        if (!Enum.IsDefined((PendingWriteKind)kind))
        {
            throw StoreDamage.Checkpoint(threadId, id, $"a pending write of task '{task}' has an unknown kind {kind}");
        }

        if (!pending.TryGetValue(id, out var list))
        {
            list = [];
            pending.Add(id, list);
        }

        list.Add(new PendingWrite(task, node, (PendingWriteKind)kind, payload));
    }
}
