namespace Graph.Engine.Graphs;

/// <summary>Draining a compiled graph's runs before it is disposed (rolling restarts; docs/control.md).</summary>
public sealed partial class CompiledGraph<TState, TUpdate>
{
    /// <summary>Whether <see cref="DrainAsync"/> was called: the graph starts no new runs.</summary>
    public bool IsDraining => Model.Control.Drain.IsDraining;

    /// <summary>
    /// Drains the graph: it starts no new runs (they throw <see cref="InvalidOperationException"/>); every run with a
    /// checkpointer and a thread stops at its next step boundary after that step's checkpoint, ending as
    /// <see cref="GraphRunStatus.Drained"/> (another process resumes it with <c>ResumeAsync</c>); runs without one run to
    /// their end. Completes when no run is left, or when <paramref name="timeout"/> elapses on the graph's
    /// <see cref="GraphCompileOptions.TimeProvider"/>. Then dispose the graph.
    /// </summary>
    /// <param name="timeout">How long to wait for the runs; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <param name="cancellationToken">Stops waiting (the graph stays draining).</param>
    /// <returns>True when every run ended in time; false when some were still running at the timeout.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    /// <exception cref="ObjectDisposedException">The graph was disposed.</exception>
    public async Task<bool> DrainAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "DrainAsync: the timeout must be zero or more, or Timeout.InfiniteTimeSpan.");
        }

        var idle = Model.Control.Drain.Begin();
        try
        {
            await idle.WaitAsync(timeout, options.TimeProvider, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
