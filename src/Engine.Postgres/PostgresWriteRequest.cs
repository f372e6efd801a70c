using Npgsql;

namespace Graph.Engine.Postgres;

/// <summary>
/// One queued change: either a single statement the writer batches with its neighbours (<see cref="Statement"/>), or a
/// body that needs a transaction of its own (<see cref="Alone"/>). Completed exactly once by the writer.
/// </summary>
internal abstract class PostgresWriteRequest(bool sync, CancellationToken cancellationToken)
{
    /// <summary>Whether the change must be synced before it completes (otherwise the batch may commit asynchronously).</summary>
    public bool Sync { get; } = sync;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>A fresh statement for this change (built again when a batch is retried), or null for <see cref="Alone"/>.</summary>
    public Func<NpgsqlBatchCommand>? Statement { get; init; }

    /// <summary>A body run in its own transaction, returning the result; null for a batched statement.</summary>
    public Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<object?>>? Alone { get; init; }

    /// <summary>Turns a server error of this change into the exception its caller sees.</summary>
    public required Func<PostgresException, Exception> Translate { get; init; }

    public abstract void Complete(object? value);

    public abstract void Fail(Exception exception);

    public abstract void Cancel();

    public static (PostgresWriteRequest Request, Task<T> Task) Create<T>(bool sync, CancellationToken cancellationToken, Func<object?, T> result, Func<PostgresException, Exception> translate, Func<NpgsqlBatchCommand>? statement = null, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<object?>>? alone = null)
    {
        var request = new Typed<T>(sync, cancellationToken, result) { Statement = statement, Alone = alone, Translate = translate };
        return (request, request.Completion.Task);
    }

    private sealed class Typed<T>(bool sync, CancellationToken cancellationToken, Func<object?, T> result) : PostgresWriteRequest(sync, cancellationToken)
    {
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Complete(object? value)
        {
            try
            {
                Completion.TrySetResult(result(value));
            }
            catch (Exception exception) when (exception is InvalidCastException or FormatException)
            {
                Completion.TrySetException(exception);
            }
        }

        public override void Fail(Exception exception) => Completion.TrySetException(exception);

        public override void Cancel() => Completion.TrySetCanceled(CancellationToken);
    }
}
