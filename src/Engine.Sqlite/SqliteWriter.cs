using System.Threading.Channels;
using Graph.Engine.Checkpoints;
using Microsoft.Data.Sqlite;

namespace Graph.Engine.Sqlite;

/// <summary>
/// The store's single writer: a FIFO queue of requests drained by one loop that applies everything queued
/// (up to <see cref="MaxBatch"/> requests) in one transaction, each request under its own savepoint. The
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
    private bool synchronousFull;

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

    private void ApplyBatch(List<SqliteWriteRequest> batch, Exception?[] failures)
    {
        try
        {
            var sync = batch.Exists(request => request.Sync);
            if (sync != synchronousFull)
            {
                SqliteSchema.Execute(connection, sync ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
                synchronousFull = sync;
            }

            using var transaction = connection.BeginTransaction();
            session.Transaction = transaction;
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
                    release.ExecuteNonQuery();
                }
                catch (Exception exception) when (exception is CheckpointStoreException or SqliteException or ArgumentException)
                {
                    rollback.ExecuteNonQuery();
                    release.ExecuteNonQuery();
                    failures[i] = Wrap(exception);
                }
            }

            transaction.Commit();
            session.Transaction = null;
        }
        catch (Exception exception)
        {
            session.Transaction = null;
            var failure = Wrap(exception);
            foreach (var request in batch)
            {
                request.Fail(failure);
            }

            return;
        }

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
