namespace Graph.Engine.Checkpoints;

/// <summary>What retention decides by, listed from the kept entries without copying them.</summary>
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
                rows[i] = log[history[history.Count - 1 - i]].Row();
            }

            return Task.FromResult<IReadOnlyList<RetentionRow>>(rows);
        }
    }
}
