using Microsoft.Data.Sqlite;

namespace Graph.Engine.Sqlite;

/// <summary>One queued change, applied by the writer inside a batch transaction under its own savepoint.</summary>
internal abstract class SqliteWriteRequest
{
    protected SqliteWriteRequest(bool sync, CancellationToken cancellationToken)
    {
        Sync = sync;
        CancellationToken = cancellationToken;
    }

    /// <summary>Whether the transaction that applies this request must be synced to disk before completing.</summary>
    public bool Sync { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Applies the change; throwing rolls back this request only.</summary>
    public abstract void Apply(SqliteWriteSession session);

    /// <summary>Reports success once the batch committed.</summary>
    public abstract void Complete();

    public abstract void Fail(Exception exception);

    public abstract void Cancel();
}

/// <summary>A <see cref="SqliteWriteRequest"/> with a result.</summary>
internal sealed class SqliteWriteRequest<T>(Func<SqliteWriteSession, T> body, bool sync, CancellationToken cancellationToken)
    : SqliteWriteRequest(sync, cancellationToken)
{
    private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T result = default!;

    public Task<T> Task => completion.Task;

    public override void Apply(SqliteWriteSession session) => result = body(session);

    public override void Complete() => completion.TrySetResult(result);

    public override void Fail(Exception exception) => completion.TrySetException(exception);

    public override void Cancel() => completion.TrySetCanceled(CancellationToken);
}
