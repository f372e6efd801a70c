namespace Graph.Engine.Orleans.Runs;

/// <summary>
/// Where silos record the runs they host, so that when a silo dies the survivors find its runs and resume them from
/// their last checkpoints. One record per thread: a thread runs one run at a time.
/// </summary>
internal interface IRunRegistry
{
    /// <summary>Records (or takes over) the thread's run.</summary>
    Task RegisterAsync(RunRecord run, CancellationToken cancellationToken = default);

    /// <summary>Removes the thread's record if it is still the record of <paramref name="callId"/>.</summary>
    Task RemoveAsync(string threadId, string callId, CancellationToken cancellationToken = default);

    /// <summary>Lists every recorded run.</summary>
    Task<IReadOnlyList<RunRecord>> ListAsync(CancellationToken cancellationToken = default);
}
