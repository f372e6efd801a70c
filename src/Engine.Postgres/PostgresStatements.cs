using System.Globalization;
using Graph.Engine.Checkpoints;
using Graph.Engine.Checkpoints.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Graph.Engine.Postgres;

/// <summary>
/// The write statements (calls of the schema's functions, see <see cref="PostgresMigrations"/>) and the translation of
/// their refusals into the exceptions <see cref="ICheckpointer"/> documents.
/// </summary>
internal sealed class PostgresStatements(string schema)
{
    private const string PutCheckpointArguments = "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22";

    private readonly string putCheckpoint = PostgresSchema.Sql(schema, $"SELECT {{s}}.put_checkpoint({PutCheckpointArguments})");
    private readonly string putSharedCheckpoint = PostgresSchema.Sql(schema, $"SELECT {{s}}.put_checkpoint({PutCheckpointArguments}), {{s}}.put_shared($23, $24)");
    private readonly string putWrites = PostgresSchema.Sql(schema, "SELECT {s}.put_writes($1, $2, $3, $4, $5, $6, $7)");
    private readonly string deleteThread = PostgresSchema.Sql(schema, "SELECT {s}.delete_thread($1)");
    private readonly string pruneThread = PostgresSchema.Sql(schema, "SELECT {s}.prune_thread($1, $2)");
    private readonly string deleteNewer = PostgresSchema.Sql(schema, "SELECT {s}.delete_newer($1, $2)");

    /// <summary>
    /// The conditional insert of a checkpoint (the fence), its state, the pending writes it carries and, when its metadata
    /// names the graph's shared properties, that record (stored unless present, in the same statement).
    /// </summary>
    public NpgsqlBatchCommand Put(Checkpoint checkpoint)
    {
        var hash = RowHash.Sha256(checkpoint.State.Span);
        var tasks = CheckpointRecordCodec.EncodeTasks(checkpoint.NextTasks);
        var planner = checkpoint.PlannerState.ToArray();
        var shared = SharedProperties.Of(checkpoint.Metadata);
        var metadata = CheckpointRecordCodec.EncodeMetadata(checkpoint.Metadata, shared);
        var ticks = checkpoint.CreatedAt.Ticks;
        var offset = (int)checkpoint.CreatedAt.Offset.TotalMinutes;
        var digest = CheckpointRowDigest.Checkpoint(
            checkpoint.ThreadId, checkpoint.Id, checkpoint.ParentId, checkpoint.Step, checkpoint.StateType, hash, tasks, planner, metadata, ticks, offset);
        var (data, kind, chunkHashes, chunks) = EncodeState(checkpoint.State);
        var branch = checkpoint.Metadata.Source is CheckpointSource.Fork or CheckpointSource.Update;
        var writes = WriteArrays(checkpoint.ThreadId, checkpoint.Id, checkpoint.PendingWrites);
        var command = new NpgsqlBatchCommand(shared is null ? putCheckpoint : putSharedCheckpoint);
        Add(command, NpgsqlDbType.Text, checkpoint.ThreadId);
        Add(command, NpgsqlDbType.Bigint, checkpoint.Id);
        Add(command, NpgsqlDbType.Bigint, checkpoint.ParentId);
        Add(command, NpgsqlDbType.Boolean, branch);
        Add(command, NpgsqlDbType.Integer, checkpoint.Step);
        Add(command, NpgsqlDbType.Text, checkpoint.StateType);
        Add(command, NpgsqlDbType.Bytea, hash);
        Add(command, NpgsqlDbType.Bytea, data);
        Add(command, NpgsqlDbType.Smallint, kind);
        Add(command, NpgsqlDbType.Array | NpgsqlDbType.Bytea, chunkHashes);
        Add(command, NpgsqlDbType.Array | NpgsqlDbType.Bytea, chunks);
        Add(command, NpgsqlDbType.Bytea, tasks);
        Add(command, NpgsqlDbType.Bytea, planner);
        Add(command, NpgsqlDbType.Bytea, metadata);
        Add(command, NpgsqlDbType.Bigint, ticks);
        Add(command, NpgsqlDbType.Integer, offset);
        Add(command, NpgsqlDbType.Bytea, digest);
        AddWrites(command, writes);
        if (shared is not null)
        {
            Add(command, NpgsqlDbType.Bytea, shared.Hash);
            Add(command, NpgsqlDbType.Bytea, shared.Data);
        }

        return command;
    }

    /// <summary>Pending writes against a checkpoint, replacing earlier ones of the same task and kind.</summary>
    public NpgsqlBatchCommand PutWrites(string threadId, long checkpointId, IReadOnlyList<PendingWrite> writes)
    {
        var command = new NpgsqlBatchCommand(putWrites);
        Add(command, NpgsqlDbType.Text, threadId);
        Add(command, NpgsqlDbType.Bigint, checkpointId);
        AddWrites(command, WriteArrays(threadId, checkpointId, writes));
        return command;
    }

    public NpgsqlBatchCommand DeleteThread(string threadId)
    {
        var command = new NpgsqlBatchCommand(deleteThread);
        Add(command, NpgsqlDbType.Text, threadId);
        return command;
    }

    public NpgsqlBatchCommand Prune(string threadId, int keepLast)
    {
        var command = new NpgsqlBatchCommand(pruneThread);
        Add(command, NpgsqlDbType.Text, threadId);
        Add(command, NpgsqlDbType.Integer, keepLast);
        return command;
    }

    public NpgsqlBatchCommand DeleteNewerThan(string threadId, long checkpointId)
    {
        var command = new NpgsqlBatchCommand(deleteNewer);
        Add(command, NpgsqlDbType.Text, threadId);
        Add(command, NpgsqlDbType.Bigint, checkpointId);
        return command;
    }

    /// <summary>What a refused or failed put means to its caller.</summary>
    public static Exception PutFailed(Checkpoint checkpoint, PostgresException exception) => exception.SqlState switch
    {
        "GR001" => new CheckpointStoreException(
            $"{Checkpoint.OutOfOrder(checkpoint, Latest(exception)).Message} Another writer has advanced the thread: the single-writer fence refused this put, so the history stays one chain.",
            exception),
        "GR004" => Checkpoint.MissingParent(checkpoint),
        "GR002" when checkpoint.ParentId > Latest(exception) => Checkpoint.MissingParent(checkpoint),
        "GR002" => new CheckpointStoreException(
            $"Checkpoint {checkpoint.Id} of thread '{checkpoint.ThreadId}' follows checkpoint {checkpoint.ParentId?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}, but the thread's latest checkpoint is {Latest(exception)}: another writer has advanced the thread, so the single-writer fence refused this stale put and the history stays one chain.",
            exception),
        _ => Failed($"store checkpoint {checkpoint.Id} of thread '{checkpoint.ThreadId}'", exception),
    };

    public static Exception WritesFailed(string threadId, long checkpointId, PostgresException exception) =>
        exception.SqlState == "GR003" ? Checkpoint.UnknownCheckpoint(threadId, checkpointId) : Failed($"record pending writes of thread '{threadId}'", exception);

    public static Exception Failed(string what, PostgresException exception) =>
        new CheckpointStoreException($"The PostgreSQL checkpoint store failed to {what}: {exception.MessageText} (SQLSTATE {exception.SqlState}).", exception);

    /// <summary>The stored form of a state: whole when small, else a manifest with its content-defined chunks.</summary>
    private static (byte[] Data, short Kind, byte[][]? ChunkHashes, byte[][]? Chunks) EncodeState(ReadOnlyMemory<byte> state)
    {
        if (state.Length <= StateChunks.InlineLimit)
        {
            return (state.ToArray(), (short)StateChunks.RawKind, null, null);
        }

        var lengths = StateChunks.Cut(state.Span);
        var hashes = new byte[lengths.Count][];
        var chunks = new byte[lengths.Count][];
        var offset = 0;
        for (var i = 0; i < lengths.Count; i++)
        {
            chunks[i] = state.Slice(offset, lengths[i]).ToArray();
            hashes[i] = RowHash.Sha256(chunks[i])[..StateChunks.HashSize];
            offset += lengths[i];
        }

        return (StateChunks.EncodeManifest(state.Length, hashes), (short)StateChunks.ChunkedKind, hashes, chunks);
    }

    /// <summary>The write columns as arrays; each row's digest covers every column but its order key (<c>seq</c>).</summary>
    private static (string[] Tasks, string[] Nodes, short[] Kinds, byte[][] Payloads, byte[][] Digests) WriteArrays(string threadId, long checkpointId, IReadOnlyList<PendingWrite> writes)
    {
        var result = (new string[writes.Count], new string[writes.Count], new short[writes.Count], new byte[writes.Count][], new byte[writes.Count][]);
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i];
            ArgumentNullException.ThrowIfNull(write);
            ArgumentNullException.ThrowIfNull(write.TaskId);
            ArgumentNullException.ThrowIfNull(write.Node);
            var payload = write.Payload.ToArray();
            result.Item1[i] = write.TaskId;
            result.Item2[i] = write.Node;
            result.Item3[i] = (short)write.Kind;
            result.Item4[i] = payload;
            result.Item5[i] = WriteDigest(threadId, checkpointId, write.TaskId, write.Node, (long)write.Kind, payload);
        }

        return result;
    }

    public static byte[] WriteDigest(string threadId, long checkpointId, string taskId, string node, long kind, ReadOnlySpan<byte> payload) =>
        CheckpointRowDigest.Write(threadId, checkpointId, seq: 0, taskId, node, kind, payload);

    private static void AddWrites(NpgsqlBatchCommand command, (string[] Tasks, string[] Nodes, short[] Kinds, byte[][] Payloads, byte[][] Digests) writes)
    {
        Add(command, NpgsqlDbType.Array | NpgsqlDbType.Text, writes.Tasks);
        Add(command, NpgsqlDbType.Array | NpgsqlDbType.Text, writes.Nodes);
        Add(command, NpgsqlDbType.Array | NpgsqlDbType.Smallint, writes.Kinds);
        Add(command, NpgsqlDbType.Array | NpgsqlDbType.Bytea, writes.Payloads);
        Add(command, NpgsqlDbType.Array | NpgsqlDbType.Bytea, writes.Digests);
    }

    private static void Add(NpgsqlBatchCommand command, NpgsqlDbType type, object? value) =>
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type, Value = value ?? DBNull.Value });

    private static long Latest(PostgresException exception) =>
        long.TryParse(exception.MessageText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var latest) ? latest : -1;
}
