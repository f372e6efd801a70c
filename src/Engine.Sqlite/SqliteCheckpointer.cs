using System.Collections.Concurrent;
using System.Diagnostics;
using Graph.Engine.Checkpoints;
using Graph.Engine.Checkpoints.Storage;
using Microsoft.Data.Sqlite;

namespace Graph.Engine.Sqlite;

/// <summary>
/// The durable <see cref="ICheckpointer"/>: one SQLite file in WAL mode, safe for many concurrent runs.
/// </summary>
/// <remarks>
/// <para>
/// Writes go through one writer connection fed by a FIFO queue: everything queued is committed in one
/// transaction, so concurrent runs share commits. A batch is synced to disk (<c>synchronous=FULL</c>) only when
/// it contains a <see cref="CheckpointDurability.PerStepSync"/> or <see cref="CheckpointDurability.AtExit"/> put
/// or a thread operation (delete, copy, prune); <see cref="CheckpointDurability.Async"/> puts and pending writes
/// are committed with <c>synchronous=NORMAL</c> (safe against a process crash; WAL checkpoints sync them later).
/// Reads use separate connections and never wait for the writer.
/// </para>
/// <para>
/// States are stored content-addressed: the <c>blobs</c> table keeps each distinct state once under its SHA-256,
/// and checkpoints refer to it, so a run whose state rarely changes does not grow the file by a state per step.
/// States larger than 2 KiB are stored as content-defined chunks (each chunk once, schema version 2), so a state that
/// changes a little re-stores only the chunks around the change. Deleting, pruning and copying keep blobs and chunks
/// exactly as long as a checkpoint refers to them. Rows name their thread by an integer key given in the order
/// threads are created (schema version 6), so a run's rows are appended to each table rather than inserted among other
/// threads' rows. Version 1 to 5 files are migrated in place when opened.
/// </para>
/// <para>
/// Nothing read is trusted: every row carries a SHA-256 digest of its columns, states and chunks are checked against
/// their hashes, and each thread's head records its latest checkpoint. Damaged data is a
/// <see cref="CheckpointStoreException"/> naming the thread, the checkpoint and what failed, and from then on the
/// store writes nothing more to the file.
/// </para>
/// <para>
/// <see cref="Open"/> refuses, without writing a byte, any file that is not a checkpoint store of a schema
/// version this code knows.
/// </para>
/// </remarks>
[DebuggerDisplay("SQLite checkpoints at {Path}")]
public sealed partial class SqliteCheckpointer : ICheckpointer, IOwnedCheckpointSink, ICheckpointRollback, ICheckpointDeletion, IAsyncDisposable, IDisposable
{
    /// <summary>
    /// The name of the meter the stores report to: <c>graph.sqlite.statements</c>, <c>graph.sqlite.commits</c> and
    /// <c>graph.sqlite.synced_commits</c> (commits synced to disk), each tagged with the file (<c>graph.sqlite.file</c>).
    /// </summary>
    public const string MeterName = "Graph.Engine.Sqlite";

    private const int MaxIdleReaders = 8;
    private static readonly Lazy<bool> Initialized = new(() =>
    {
        SqliteNativeLibrary.Initialize();
        return true;
    });

    private readonly SqliteWriter writer;
    private readonly ConcurrentBag<SqliteConnection> readers = [];
    private int disposed;
    private string? damage;

    private SqliteCheckpointer(string path)
    {
        Path = path;
        writer = new SqliteWriter(path);
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <summary>The single writer, whose counters (statements, synced commits) the tests read.</summary>
    internal SqliteWriter Writer => writer;

    /// <summary>Opens the store in <paramref name="path"/>, creating the file and its schema if it does not exist or is empty.</summary>
    /// <param name="path">The database file.</param>
    /// <returns>The open store; dispose it to flush the queue and close the file.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="CheckpointStoreException">
    /// The file is not a SQLite database, is corrupt, belongs to another application or has a schema version this
    /// code does not know. The file is left untouched.
    /// </exception>
    public static SqliteCheckpointer Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _ = Initialized.Value;
        var fullPath = System.IO.Path.GetFullPath(path);
        SqliteSchema.OpenOrCreate(fullPath);
        try
        {
            return new SqliteCheckpointer(fullPath);
        }
        catch (SqliteException exception)
        {
            throw new CheckpointStoreException($"'{fullPath}' is not a readable Graph checkpoint store ({SqliteErrorText.Describe(exception)}).", exception);
        }
    }

    /// <inheritdoc />
    public Task PutAsync(Checkpoint checkpoint, CheckpointDurability durability, CancellationToken cancellationToken = default)
    {
        Checkpoint.Validate(checkpoint);
        var copy = checkpoint.Detach();
        return Write(session => session.Put(copy), durability != CheckpointDurability.Async, cancellationToken);
    }

    /// <inheritdoc />
    public Task PutWritesAsync(string threadId, long checkpointId, IReadOnlyList<PendingWrite> writes, CancellationToken cancellationToken = default)
    {
        Checkpoint.ValidateThreadId(threadId);
        ArgumentNullException.ThrowIfNull(writes);
        var copy = Checkpoint.Detach(writes);
        return Write(session => session.PutWrites(threadId, checkpointId, copy), sync: false, cancellationToken);
    }

    /// <inheritdoc />
    Task IOwnedCheckpointSink.PutOwnedAsync(Checkpoint checkpoint, CheckpointDurability durability)
    {
        Checkpoint.Validate(checkpoint);
        return Write(session => session.Put(checkpoint), durability != CheckpointDurability.Async, CancellationToken.None);
    }

    /// <inheritdoc />
    Task IOwnedCheckpointSink.PutWriteOwnedAsync(string threadId, long checkpointId, PendingWrite write)
    {
        Checkpoint.ValidateThreadId(threadId);
        PendingWrite[] writes = [write];
        return Write(session => session.PutWrites(threadId, checkpointId, writes), sync: false, CancellationToken.None);
    }

    /// <inheritdoc />
    public Task<Checkpoint?> GetAsync(string threadId, long? checkpointId = null, CancellationToken cancellationToken = default)
    {
        Checkpoint.ValidateThreadId(threadId);
        cancellationToken.ThrowIfCancellationRequested();
        var found = Read(threadId, connection => SqliteCheckpointReader.Read(connection, threadId, checkpointId, before: null, limit: 1));
        return Task.FromResult(found.Count > 0 ? found[0] : null);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Checkpoint>> ListAsync(string threadId, int? limit = null, long? before = null, CancellationToken cancellationToken = default)
    {
        Checkpoint.ValidateThreadId(threadId);
        if (limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit cannot be negative.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<Checkpoint> found = Read(threadId, connection => SqliteCheckpointReader.Read(connection, threadId, id: null, before, limit));
        return Task.FromResult(found);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListThreadsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<string> threads = Read(threadId: null, SqliteCheckpointReader.Threads);
        return Task.FromResult(threads);
    }

    /// <summary>Applies everything already queued, then closes the file (SQLite folds the WAL back into it).</summary>
    /// <returns>A task that completes when the file is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await writer.DisposeAsync().ConfigureAwait(false);
        while (readers.TryTake(out var reader))
        {
            await reader.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Blocking form of <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Queues a change, unless a read found the file damaged: then nothing is written to it any more.</summary>
    private Task<T> Write<T>(Func<SqliteWriteSession, T> body, bool sync, CancellationToken cancellationToken) =>
        Volatile.Read(ref damage) is { } found
            ? Task.FromException<T>(new CheckpointStoreException($"The checkpoint store '{Path}' refuses to write because a read found it damaged: {found} Restore the file from a backup."))
            : writer.Enqueue(body, sync, cancellationToken);

    private T Read<T>(string? threadId, Func<SqliteConnection, T> body)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        if (!readers.TryTake(out var connection))
        {
            connection = new SqliteConnection(SqliteSchema.ConnectionString(Path, SqliteOpenMode.ReadWrite));
            connection.Open();
            SqliteSchema.Execute(connection, "PRAGMA busy_timeout = 10000; PRAGMA query_only = 1;");
        }

        try
        {
            return body(connection);
        }
        catch (CheckpointStoreException exception) when (StoreDamage.IsDamage(exception))
        {
            throw Damaged(exception.Message, exception);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode is 11 or 26)
        {
            connection.Dispose();
            connection = null;
            throw Damaged($"The checkpoint store '{Path}' is damaged: {SqliteErrorText.Describe(exception)}.", exception);
        }
        catch (SqliteException exception)
        {
            connection.Dispose();
            connection = null;
            throw new CheckpointStoreException($"The checkpoint store '{Path}' failed to read: {SqliteErrorText.Describe(exception)}.", exception);
        }
        catch (Exception exception) when (exception is InvalidCastException or FormatException or OverflowException or InvalidOperationException or ArgumentException)
        {
            var where = threadId is null ? "the list of threads" : $"thread '{threadId}'";
            throw Damaged($"The checkpoint store '{Path}' is damaged: a row of {where} has a value of the wrong kind ({exception.Message}).", exception);
        }
        finally
        {
            if (connection is not null)
            {
                if (Volatile.Read(ref disposed) == 0 && readers.Count < MaxIdleReaders)
                {
                    readers.Add(connection);
                }
                else
                {
                    connection.Dispose();
                }
            }
        }
    }

    private CheckpointStoreException Damaged(string message, Exception cause)
    {
        message = message.Contains(Path, StringComparison.Ordinal) ? message : $"In '{Path}': {message}";
        Interlocked.CompareExchange(ref damage, message, null);
        var exception = new CheckpointStoreException($"{message} The store writes nothing more to '{Path}'.", cause);
        exception.Data[StoreDamage.Marker] = true;
        return exception;
    }
}
