using System.Threading.Channels;
using Graph.Engine.Checkpoints;
using Microsoft.Data.Sqlite;

namespace Graph.Engine.Sqlite;

/// <summary>
/// The store's single writer: a FIFO queue of requests drained by one loop that applies everything queued
/// (up to <see cref="MaxBatch"/> requests) in one transaction, without savepoints unless a request fails (then the
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

    // Prepared once and reused: re-setting a command's text re-prepares it on every request.
    private readonly SqliteCommand savepoint;
    private readonly SqliteCommand release;
    private readonly SqliteCommand rollback;
    private readonly Task loop;
    private long statements;
    private bool synchronousFull;

    /// <summary>How many statements the writer has run (its session's included).</summary>
    public long Statements => statements + session.Statements;

    /// <summary>How many transactions the writer has committed.</summary>
    /// <summary>How many of those were synced to disk (<c>synchronous=FULL</c>: one WAL sync each).</summary>
    public long SyncedCommits { get; private set; }

    public SqliteWriter(string path)
    {
        this.path = path;
        connection = new SqliteConnection(SqliteSchema.ConnectionString(path, SqliteOpenMode.ReadWrite));
        connection.Open();
        SqliteSchema.Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000;");
        session = new SqliteWriteSession(connection);
        savepoint = Command("SAVEPOINT request");
        release = Command("RELEASE request");
        rollback = Command("ROLLBACK TO request");
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
        savepoint.Dispose();
        release.Dispose();
        rollback.Dispose();
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<SqliteWriteRequest>(MaxBatch);
        var failures = new Exception?[MaxBatch];
        while (await queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
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

            if (!ApplyTogether(batch, failures))
            {
                ApplySeparately(batch, failures);
            }
        }
        catch (Exception exception)
        {
            session.Transaction = null;
            session.Forget();
            SqliteWriterMetrics.Batch(path, Statements - statementsBefore, committed: false, synced: false);
            var failure = Wrap(exception);
            foreach (var request in batch)
            {
                request.Fail(failure);
            }

            return;
        }

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
    private bool ApplyTogether(List<SqliteWriteRequest> batch, Exception?[] failures)
    {
        using var transaction = Begin();
        try
        {
            foreach (var request in batch)
            {
                request.Apply(session);
            }

            session.FlushHeads();
        }
        catch (Exception exception) when (IsRequestFailure(exception))
        {
            transaction.Rollback();
            statements++;
            session.Transaction = null;
            session.Forget();
            return false;
        }

        Commit(transaction);
        Array.Clear(failures, 0, batch.Count);
        return true;
    }

    /// <summary>Applies each request under its own savepoint, so that a failing one is rolled back alone.</summary>
    private void ApplySeparately(List<SqliteWriteRequest> batch, Exception?[] failures)
    {
        using var transaction = Begin();
        savepoint.Transaction = transaction;
        release.Transaction = transaction;
        rollback.Transaction = transaction;
        for (var i = 0; i < batch.Count; i++)
        {
            failures[i] = null;
            savepoint.ExecuteNonQuery();
            try
            {
                batch[i].Apply(session);
                session.FlushHeads();
                release.ExecuteNonQuery();
            }
            catch (Exception exception) when (IsRequestFailure(exception))
            {
                rollback.ExecuteNonQuery();
                release.ExecuteNonQuery();
                session.Forget();
                failures[i] = Wrap(exception);
                statements++;
            }

            statements += 2;
        }

        Commit(transaction);
    }

    private SqliteTransaction Begin()
    {
        var transaction = connection.BeginTransaction();
        statements++;
        session.Transaction = transaction;
        session.BeginBatch();
        return transaction;
    }

    private void Commit(SqliteTransaction transaction)
    {
        transaction.Commit();
        statements++;
        session.Transaction = null;
    }

    private static bool IsRequestFailure(Exception exception) => exception is CheckpointStoreException or SqliteException or ArgumentException;

    private SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private Exception Wrap(Exception exception) => exception is SqliteException sqlite
        ? new CheckpointStoreException($"The checkpoint store '{path}' failed to write: {SqliteErrorText.Describe(sqlite)}.", sqlite)
        : exception;
}
