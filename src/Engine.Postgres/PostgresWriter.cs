using System.Threading.Channels;
using Graph.Engine.Checkpoints;
using Npgsql;

namespace Graph.Engine.Postgres;

/// <summary>
/// The store's one writer: a FIFO queue drained by a single loop on one connection. Everything queued when the loop
/// wakes is sent as one <see cref="NpgsqlBatch"/> (one round trip, one implicit transaction), so concurrent runs share
/// commits and a step's pending writes travel with its checkpoint. A batch with no synced change commits with
/// <c>synchronous_commit = off</c>.
/// </summary>
/// <remarks>
/// When a statement of a batch fails (the fence refused a put, an unknown checkpoint), the server rolls the whole batch
/// back; the writer fails that one change and sends the others again, in order, so each caller sees exactly what running
/// its change alone would have given. A batch the server rolled back to break a deadlock with another writer on the same
/// store (two silos storing the same chunk) is sent again, up to five times.
/// </remarks>
internal sealed class PostgresWriter : IAsyncDisposable
{
    private const int MaxBatch = 512;
    private const int MaxConflictRetries = 5;
    private readonly NpgsqlDataSource dataSource;
    private readonly Channel<PostgresWriteRequest> queue = Channel.CreateUnbounded<PostgresWriteRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task loop;
    private NpgsqlConnection? connection;
    private long statements;

    public PostgresWriter(NpgsqlDataSource dataSource)
    {
        this.dataSource = dataSource;
        loop = Task.Run(RunAsync);
    }

    /// <summary>The statements sent so far (each function call, plus one per asynchronous batch).</summary>
    public long Statements => Interlocked.Read(ref statements);

    public void Enqueue(PostgresWriteRequest request)
    {
        if (request.CancellationToken.IsCancellationRequested)
        {
            request.Cancel();
            return;
        }

        if (!queue.Writer.TryWrite(request))
        {
            request.Fail(new ObjectDisposedException(nameof(PostgresCheckpointer), "The PostgreSQL checkpointer is disposed."));
        }
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop.ConfigureAwait(false);
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task RunAsync()
    {
        var taken = new List<PostgresWriteRequest>();
        var group = new List<PostgresWriteRequest>();
        while (await queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (taken.Count < MaxBatch && queue.Reader.TryRead(out var request))
            {
                taken.Add(request);
            }

            foreach (var request in taken)
            {
                if (request.CancellationToken.IsCancellationRequested)
                {
                    request.Cancel();
                }
                else if (request.Statement is not null)
                {
                    group.Add(request);
                }
                else
                {
                    await SendAsync(group).ConfigureAwait(false);
                    await RunAloneAsync(request).ConfigureAwait(false);
                }
            }

            await SendAsync(group).ConfigureAwait(false);
            taken.Clear();
        }
    }

    /// <summary>Sends the group as one batch, retrying without a change the server refused; empties the group.</summary>
    private async Task SendAsync(List<PostgresWriteRequest> group)
    {
        var conflicts = 0;
        while (group.Count > 0)
        {
            var sent = new List<PostgresWriteRequest>(group.Count);
            var first = 0;
            var current = -1;
            try
            {
                var open = await OpenAsync().ConfigureAwait(false);
                await using var batch = new NpgsqlBatch(open);
                if (!group.Exists(r => r.Sync))
                {
                    batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('synchronous_commit', 'off', true)"));
                }

                foreach (var request in group.ToArray())
                {
                    NpgsqlBatchCommand command;
                    try
                    {
                        command = request.Statement!();
                    }
                    catch (Exception exception) when (exception is ArgumentException or NullReferenceException)
                    {
                        request.Fail(exception); // a malformed change fails alone, before anything is sent
                        group.Remove(request);
                        continue;
                    }

                    sent.Add(request);
                    batch.BatchCommands.Add(command);
                }

                if (sent.Count == 0)
                {
                    continue;
                }

                Interlocked.Add(ref statements, batch.BatchCommands.Count);
                var results = new object?[sent.Count];
                first = batch.BatchCommands.Count - sent.Count;
                current = 0;
                await using (var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false))
                {
                    for (var i = 0; i < batch.BatchCommands.Count; i++)
                    {
                        current = i;
                        if (i > 0)
                        {
                            await reader.NextResultAsync().ConfigureAwait(false);
                        }

                        var value = await reader.ReadAsync().ConfigureAwait(false) ? reader.GetValue(0) : null;
                        if (i >= first)
                        {
                            results[i - first] = value is DBNull ? null : value;
                        }
                    }
                }

                for (var i = 0; i < sent.Count; i++)
                {
                    sent[i].Complete(results[i]);
                }

                group.Clear();
            }
            catch (PostgresException exception) when (IsConflict(exception) && ++conflicts <= MaxConflictRetries)
            {
                // Another writer (another process on the same store) took shared rows in another order, and the server
                // rolled this whole batch back to break the deadlock: nothing of it landed, so it is sent again.
            }
            catch (PostgresException exception) when (current - first is var culprit && culprit >= 0 && culprit < sent.Count)
            {
                // The error surfaces while reading the result of the statement that raised it.
                var request = sent[culprit];
                request.Fail(request.Translate(exception));
                group.Remove(request);
            }
            catch (Exception exception) when (exception is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                await DropConnectionAsync().ConfigureAwait(false);
                var failure = new CheckpointStoreException($"The PostgreSQL checkpoint store failed to write: {exception.Message}", exception);
                group.ForEach(r => r.Fail(failure));
                group.Clear();
            }
        }
    }

    /// <summary>A deadlock or serialization failure: the server rolled the batch back through no fault of its changes.</summary>
    private static bool IsConflict(PostgresException exception) =>
        exception.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;

    private async Task RunAloneAsync(PostgresWriteRequest request)
    {
        try
        {
            var open = await OpenAsync().ConfigureAwait(false);
            await using var transaction = await open.BeginTransactionAsync().ConfigureAwait(false);
            var result = await request.Alone!(open, transaction, CancellationToken.None).ConfigureAwait(false);
            await transaction.CommitAsync().ConfigureAwait(false);
            request.Complete(result);
        }
        catch (PostgresException exception)
        {
            request.Fail(request.Translate(exception));
        }
        catch (CheckpointStoreException exception)
        {
            request.Fail(exception);
        }
        catch (Exception exception) when (exception is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
        {
            await DropConnectionAsync().ConfigureAwait(false);
            request.Fail(new CheckpointStoreException($"The PostgreSQL checkpoint store failed to write: {exception.Message}", exception));
        }
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        if (connection is { State: System.Data.ConnectionState.Open })
        {
            return connection;
        }

        await DropConnectionAsync().ConfigureAwait(false);
        connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        return connection;
    }

    private async Task DropConnectionAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            connection = null;
        }
    }
}
