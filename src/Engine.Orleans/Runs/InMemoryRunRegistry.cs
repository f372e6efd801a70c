using System.Collections.Concurrent;

namespace Graph.Engine.Orleans.Runs;

/// <summary>
/// A run registry shared by the silos of one process (test clusters): it dies with the process, so it fails over
/// only between silos hosted side by side. Clusters of processes use <see cref="PostgresRunRegistry"/>.
/// </summary>
internal sealed class InMemoryRunRegistry : IRunRegistry
{
    private static readonly ConcurrentDictionary<string, InMemoryRunRegistry> Clusters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RunRecord> runs = new(StringComparer.Ordinal);

    /// <summary>The registry of cluster <paramref name="clusterId"/> in this process.</summary>
    public static InMemoryRunRegistry For(string clusterId) => Clusters.GetOrAdd(clusterId, _ => new InMemoryRunRegistry());

    public Task RegisterAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        runs[run.ThreadId] = run;
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string threadId, string callId, CancellationToken cancellationToken = default)
    {
        if (runs.TryGetValue(threadId, out var run) && run.CallId == callId)
        {
            runs.TryRemove(new KeyValuePair<string, RunRecord>(threadId, run));
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RunRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RunRecord>>([.. runs.Values]);
}
