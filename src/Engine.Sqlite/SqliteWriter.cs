using System.Threading.Channels;
using Graph.Engine.Checkpoints;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Graph.Engine.Sqlite;

/// <summary>
/// The store's single writer: a FIFO queue of requests drained by one loop that applies everything queued
/// (up to <see cref="MaxBatch"/> requests), and what is queued while it writes them, in one transaction (so a run
/// whose later saves arrive while its first ones are written commits once), without savepoints unless a request fails (then the
/// batch is applied again, each request under its own savepoint, so that only the failing one is rolled back). The
/// transaction runs with <c>synchronous=FULL</c> (one WAL sync at commit) when any request in it asks for a
/// sync, and with <c>synchronous=NORMAL</c> (no sync; WAL checkpoints sync later) otherwise.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    public const int MaxBatch = 512;

    private readonly Channel<SqliteWriteRequest> queue = Channel.CreateUnbounded<SqliteWriteRequest>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    private readonly string path;
    private readonly SqliteConnection connection;
    private readonly SqliteWriteSession session;

    // Prepared once and reused: Microsoft.Data.Sqlite's transactions prepare BEGIN and COMMIT again for every batch.
    private readonly SqliteStatement begin;
    private readonly SqliteStatement commit;
    private readonly SqliteStatement rollbackAll;
    private readonly SqliteStatement savepoint;
    private readonly SqliteStatement release;
    private readonly SqliteStatement rollback;
    private readonly Task loop;
    private long statements;
    private bool synchronousFull;

    /// <summary>A request taken from the queue for a transaction it could not join (see <see cref="TryTakeLate"/>); the next batch starts with it.</summary>
    private SqliteWriteRequest? carried;

    /// <summary>How many statements the writer has run (its session's included).</summary>
    public long Statements => statements + session.Statements;

    /// <summary>How many batch transactions the writer has committed.</summary>
    public long Commits { get; private set; }

    /// <summary>How many transactions the writer has committed synced to disk (<c>synchronous=FULL</c>: one WAL sync each).</summary>
    public long SyncedCommits { get; private set; }

    public SqliteWriter(string path)
    {
        this.path = path;
        connection = new SqliteConnection(SqliteSchema.ConnectionString(path, SqliteOpenMode.ReadWrite));
        connection.Open();
        SqliteSchema.Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000;");
        session = new SqliteWriteSession(connection);
        begin = new SqliteStatement(connection, "BEGIN IMMEDIATE");
        commit = new SqliteStatement(connection, "COMMIT");
        rollbackAll = new SqliteStatement(connection, "ROLLBACK");
        savepoint = new SqliteStatement(connection, "SAVEPOINT request");
        release = new SqliteStatement(connection, "RELEASE request");
        rollback = new SqliteStatement(connection, "ROLLBACK TO request");
        loop = Task.Run(RunAsync);
    }

    /// <summary>Queues a request; requests queued by sequential calls are applied in call order.</summary>
    public Task<T> Enqueue<T>(Func<SqliteWriteSession, T> body, bool sync, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var request = new SqliteWriteRequest<T>(body, sync, cancellationToken);
        if (!queue.Writer.TryWrite(request))
        {
            throw new ObjectDisposedException(nameof(SqliteCheckpointer), $"The checkpoint store '{path}' is closed.");
        }

        return request.Task;
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop.ConfigureAwait(false);
        session.Dispose();
        foreach (var statement in new[] { begin, commit, rollbackAll, savepoint, release, rollback })
        {
            statement.Dispose();
        }

        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<SqliteWriteRequest>(MaxBatch);
        var failures = new Exception?[MaxBatch];
        while (carried is not null || await queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            if (carried is not null)
            {
                batch.Add(carried);
                carried = null;
            }

            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var request))
            {
                if (request.CancellationToken.IsCancellationRequested)
                {
                    request.Cancel();
                }
                else
                {
                    batch.Add(request);
                }
            }

            if (batch.Count > 0)
            {
                ApplyBatch(batch, failures);
            }
        }
    }

    /// <summary>
    /// Takes a request queued while the open transaction was being written, to apply it in that transaction: false when
    /// the batch is full or the queue empty. A request that asks for a sync the transaction will not make is kept for
    /// the next batch (<see cref="carried"/>); a cancelled one is completed as cancelled and skipped.
    /// </summary>
    private bool TryTakeLate(List<SqliteWriteRequest> batch, bool sync, out SqliteWriteRequest request)
    {
        while (carried is null && batch.Count < MaxBatch && queue.Reader.TryRead(out request!))
        {
            if (request.CancellationToken.IsCancellationRequested)
            {
                request.Cancel();
            }
            else if (request.Sync && !sync)
            {
                carried = request;
            }
            else
            {
                batch.Add(request);
                return true;
            }
        }

        request = null!;
        return false;
    }

    /// <summary>Applies a batch, reports it to the meter, then completes its requests.</summary>
    private void ApplyBatch(List<SqliteWriteRequest> batch, Exception?[] failures)
    {
        var statementsBefore = Statements;
        var sync = batch.Exists(request => request.Sync);
        try
        {
            if (sync != synchronousFull)
            {
                SqliteSchema.Execute(connection, sync ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
                synchronousFull = sync;
                statements++;
            }

            if (!ApplyTogether(batch, sync, failures))
            {
                ApplySeparately(batch, failures);
            }
        }
        catch (Exception exception)
        {
            RollBackIfOpen();
            session.Forget();
            SqliteWriterMetrics.Batch(path, Statements - statementsBefore, committed: false, synced: false);
            var failure = Wrap(exception);
            foreach (var request in batch)
            {
                request.Fail(failure);
            }

            return;
        }

        Commits++;
        if (sync)
        {
            SyncedCommits++;
        }

        SqliteWriterMetrics.Batch(path, Statements - statementsBefore, committed: true, sync);
        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                batch[i].Fail(failure);
            }
            else
            {
                batch[i].Complete();
            }
        }
    }

    /// <summary>
    /// The common case: the whole batch in one transaction without savepoints. When a request throws, the transaction
    /// is rolled back and false returned, so that <see cref="ApplySeparately"/> applies the batch again request by request.
    /// </summary>
    private bool ApplyTogether(List<SqliteWriteRequest> batch, bool sync, Exception?[] failures)
    {
        Begin();
        try
        {
            foreach (var request in batch)
            {
                request.Apply(session);
            }

            // A run's later puts often arrive while its first ones are written: they share this commit.
            while (TryTakeLate(batch, sync, out var late))
            {
                late.Apply(session);
            }

            session.FlushHeads();
        }
        catch (Exception exception) when (IsRequestFailure(exception))
        {
            rollbackAll.Execute();
            statements++;
            session.Forget();
            return false;
        }

        Commit();
        Array.Clear(failures, 0, batch.Count);
        return true;
    }

    /// <summary>Applies each request under its own savepoint, so that a failing one is rolled back alone.</summary>
    private void ApplySeparately(List<SqliteWriteRequest> batch, Exception?[] failures)
    {
        Begin();
        for (var i = 0; i < batch.Count; i++)
        {
            failures[i] = null;
            savepoint.Execute();
            try
            {
                batch[i].Apply(session);
                session.FlushHeads();
                release.Execute();
            }
            catch (Exception exception) when (IsRequestFailure(exception))
            {
                rollback.Execute();
                release.Execute();
                session.Forget();
                failures[i] = Wrap(exception);
                statements++;
            }

            statements += 2;
        }

        Commit();
    }

    private void Begin()
    {
        begin.Execute();
        statements++;
        session.BeginBatch();
    }

    private void Commit()
    {
        commit.Execute();
        statements++;
    }

    /// <summary>
    /// After a failure outside a request (a failed COMMIT, say): ends the batch transaction if SQLite left it open. A
    /// rollback SQLite refuses is not thrown: the batch's own failure is what its requests report, and the writer loop
    /// must live on to serve the next batch.
    /// </summary>
    private void RollBackIfOpen()
    {
        try
        {
            if (raw.sqlite3_get_autocommit(connection.Handle) == 0)
            {
                statements++;
                rollbackAll.Execute();
            }
        }
        catch (SqliteException)
        {
        }
    }

    private static bool IsRequestFailure(Exception exception) => exception is CheckpointStoreException or SqliteException or ArgumentException;

    private Exception Wrap(Exception exception) => exception is SqliteException sqlite
        ? new CheckpointStoreException($"The checkpoint store '{path}' failed to write: {SqliteErrorText.Describe(sqlite)}.", sqlite)
        : exception;
}
