using System.Diagnostics;
using Graph.Engine.Checkpoints;
using Npgsql;

namespace Graph.Engine.Postgres;

/// <summary>
/// The durable <see cref="ICheckpointer"/> on PostgreSQL: many processes may share one database, and a single-writer
/// fence keeps each thread's history one chain whoever writes to it.
/// </summary>
/// <remarks>
/// <para>
/// Fence: a put is a conditional insert. It locks the thread's head row and is refused with a
/// <see cref="CheckpointStoreException"/> unless the new checkpoint's id is greater than the thread's latest and its
/// parent is the thread's latest checkpoint (a <see cref="CheckpointSource.Fork"/> or <see cref="CheckpointSource.Update"/>
/// checkpoint, which starts a branch, may name an older parent). So when two processes run the same thread, the stale
/// one's next put fails and nothing it writes afterwards enters the history.
/// </para>
/// <para>
/// Writes go through one connection fed by a FIFO queue: everything queued is sent as one batch of statements (one round
/// trip, one transaction), so concurrent runs share commits and a step's pending writes travel with its checkpoint.
/// A batch holding only <see cref="CheckpointDurability.Async"/> puts and pending writes commits with
/// <c>synchronous_commit = off</c>. Statements are prepared automatically (Npgsql's auto-prepare) unless the connection
/// string sets <c>Max Auto Prepare</c> itself.
/// </para>
/// <para>
/// States are stored content-addressed and chunked as in the SQLite store; deleting and pruning release a state or chunk
/// with its last reference. Every row carries a digest; states and chunks are checked against their hashes on read.
/// </para>
/// <para>
/// The schema (tables and the write functions) lives in its own PostgreSQL schema, created and migrated by
/// <see cref="OpenAsync"/> in one transaction under an advisory lock, so processes may open a new store at once.
/// </para>
/// </remarks>
[DebuggerDisplay("PostgreSQL checkpoints in schema {Schema}")]
public sealed partial class PostgresCheckpointer : ICheckpointer, IOwnedCheckpointSink, ICheckpointRollback, ICheckpointDeletion, IAsyncDisposable
{
    /// <summary>The schema <see cref="OpenAsync"/> uses when none is given.</summary>
    public const string DefaultSchema = "graph";

    private readonly NpgsqlDataSource dataSource;
    private readonly PostgresWriter writer;
    private readonly PostgresStatements statements;
    private readonly PostgresCheckpointReader reader;
    private readonly PostgresThreadCopy copier;
    private int disposed;

    private PostgresCheckpointer(NpgsqlDataSource dataSource, string schema)
    {
        this.dataSource = dataSource;
        Schema = schema;
        writer = new PostgresWriter(dataSource);
        statements = new PostgresStatements(schema);
        reader = new PostgresCheckpointReader(schema);
        copier = new PostgresThreadCopy(schema);
    }

    /// <summary>The PostgreSQL schema holding the store's tables.</summary>
    public string Schema { get; }

    /// <summary>The statements the writer has sent (for measurements).</summary>
    internal long StatementsSent => writer.Statements;

    /// <summary>Connects, creating or migrating the store's schema when needed.</summary>
    /// <param name="connectionString">An Npgsql connection string (<c>Host=…;Username=…;Password=…;Database=…</c>).</param>
    /// <param name="schema">The PostgreSQL schema for the store's tables: a lower-case identifier; <see cref="DefaultSchema"/> by default.</param>
    /// <param name="cancellationToken">Cancels connecting and creating.</param>
    /// <returns>The open store; dispose it to flush the queue and close its connections.</returns>
    /// <exception cref="ArgumentException">The connection string is empty or invalid, or the schema name is not a lower-case identifier.</exception>
    /// <exception cref="CheckpointStoreException">
    /// The server cannot be reached, or the schema holds something else or a newer store version (left untouched).
    /// </exception>
    public static Task<PostgresCheckpointer> OpenAsync(string connectionString, string schema = DefaultSchema, CancellationToken cancellationToken = default) =>
        OpenCoreAsync(connectionString, schema, create: true, cancellationToken);

    /// <summary>Connects to a store that exists (tools that inspect a store never create one); migrates it when it is older.</summary>
    internal static Task<PostgresCheckpointer> OpenExistingAsync(string connectionString, string schema, CancellationToken cancellationToken) =>
        OpenCoreAsync(connectionString, schema, create: false, cancellationToken);

    private static async Task<PostgresCheckpointer> OpenCoreAsync(string connectionString, string schema, bool create, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        PostgresSchema.Validate(schema);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException($"The PostgreSQL connection string is invalid: {exception.Message}", nameof(connectionString), exception);
        }

        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 32;
        }

        var dataSource = NpgsqlDataSource.Create(builder);
        try
        {
            await PostgresSchema.OpenOrCreateAsync(dataSource, schema, create, cancellationToken).ConfigureAwait(false);
            return new PostgresCheckpointer(dataSource, schema);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw new CheckpointStoreException(
                $"Cannot open the PostgreSQL checkpoint store at {builder.Host}:{builder.Port}/{builder.Database} (schema '{schema}'): {exception.Message}", exception);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public Task PutAsync(Checkpoint checkpoint, CheckpointDurability durability, CancellationToken cancellationToken = default)
    {
        Checkpoint.Validate(checkpoint);
        return Put(checkpoint.Detach(), durability, cancellationToken);
    }

    /// <inheritdoc />
    public Task PutWritesAsync(string threadId, long checkpointId, IReadOnlyList<PendingWrite> writes, CancellationToken cancellationToken = default)
    {
        Checkpoint.ValidateThreadId(threadId);
        ArgumentNullException.ThrowIfNull(writes);
        return PutWrites(threadId, checkpointId, Checkpoint.Detach(writes), cancellationToken);
    }

    /// <inheritdoc />
    Task IOwnedCheckpointSink.PutOwnedAsync(Checkpoint checkpoint, CheckpointDurability durability)
    {
        Checkpoint.Validate(checkpoint);
        return Put(checkpoint, durability, CancellationToken.None);
    }

    /// <inheritdoc />
    Task IOwnedCheckpointSink.PutWriteOwnedAsync(string threadId, long checkpointId, PendingWrite write)
    {
        Checkpoint.ValidateThreadId(threadId);
        return PutWrites(threadId, checkpointId, [write], CancellationToken.None);
    }

    /// <inheritdoc />
    public async Task<Checkpoint?> GetAsync(string threadId, long? checkpointId = null, CancellationToken cancellationToken = default)
    {
        Checkpoint.ValidateThreadId(threadId);
        var found = await ReadAsync(threadId, (connection, ct) => reader.ReadAsync(connection, threadId, checkpointId, before: null, limit: 1, ct), cancellationToken).ConfigureAwait(false);
        return found.Count > 0 ? found[0] : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Checkpoint>> ListAsync(string threadId, int? limit = null, long? before = null, CancellationToken cancellationToken = default)
    {
        Checkpoint.ValidateThreadId(threadId);
        if (limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit cannot be negative.");
        }

        return await ReadAsync(threadId, (connection, ct) => reader.ReadAsync(connection, threadId, id: null, before, limit, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListThreadsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<string>>(null, async (connection, ct) =>
        {
            await using var command = new NpgsqlCommand(reader.ThreadsSql, connection);
            await using var rows = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var threads = new List<string>();
            while (await rows.ReadAsync(ct).ConfigureAwait(false))
            {
                threads.Add(rows.GetString(0));
            }

            threads.Sort(StringComparer.Ordinal);
            return threads;
        }, cancellationToken);

    /// <summary>Applies everything already queued, then closes the store's connections.</summary>
    /// <returns>A task that completes when the connections are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await writer.DisposeAsync().ConfigureAwait(false);
        await dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private Task Put(Checkpoint checkpoint, CheckpointDurability durability, CancellationToken cancellationToken) =>
        Enqueue(
            durability != CheckpointDurability.Async,
            cancellationToken,
            static value => value,
            exception => PostgresStatements.PutFailed(checkpoint, exception),
            () => statements.Put(checkpoint));

    private Task PutWrites(string threadId, long checkpointId, IReadOnlyList<PendingWrite> writes, CancellationToken cancellationToken) =>
        Enqueue(
            sync: false,
            cancellationToken,
            static value => value,
            exception => PostgresStatements.WritesFailed(threadId, checkpointId, exception),
            () => statements.PutWrites(threadId, checkpointId, writes));

    private Task<T> Enqueue<T>(bool sync, CancellationToken cancellationToken, Func<object?, T> result, Func<PostgresException, Exception> translate, Func<NpgsqlBatchCommand> statement)
    {
        var (request, task) = PostgresWriteRequest.Create(sync, cancellationToken, result, translate, statement);
        Enqueue(request);
        return task;
    }

    private void Enqueue(PostgresWriteRequest request)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        writer.Enqueue(request);
    }

    private async Task<T> ReadAsync<T>(string? threadId, Func<NpgsqlConnection, CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await body(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            var where = threadId is null ? $"schema '{Schema}'" : $"thread '{threadId}' in schema '{Schema}'";
            throw new CheckpointStoreException($"The PostgreSQL checkpoint store failed to read {where}: {exception.Message}", exception);
        }
    }
}
