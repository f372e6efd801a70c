namespace Graph.Engine.Checkpoints;

/// <summary>What retention decides by, listed newest first from the thread's encoded records.</summary>
public sealed partial class InMemoryCheckpointer : IRetentionRows
{
    /// <inheritdoc />
    Task<IReadOnlyList<RetentionRow>> IRetentionRows.ListRetentionRowsAsync(string threadId, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<IReadOnlyList<RetentionRow>>(cancellationToken);
        }

        lock (gate)
        {
            if (!threads.TryGetValue(threadId, out var history))
            {
                return Task.FromResult<IReadOnlyList<RetentionRow>>([]);
            }

            var rows = new RetentionRow[history.Count];
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = RetentionRow.Of(history.Read(history.Count - 1 - i));
            }

            return Task.FromResult<IReadOnlyList<RetentionRow>>(rows);
        }
    }
}
