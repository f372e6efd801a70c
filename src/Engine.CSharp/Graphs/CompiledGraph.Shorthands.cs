namespace Graph.Engine.Graphs;

/// <summary>Shorthands for runs without <see cref="RunOptions"/>, as .NET callers write them: <c>InvokeAsync(input, ct)</c>.</summary>
public sealed partial class CompiledGraph<TState, TUpdate>
{
    /// <summary>Runs the graph from <paramref name="input"/> without run options; see <see cref="InvokeAsync(TState, RunOptions?, CancellationToken)"/>.</summary>
    /// <param name="input">The initial state.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The final state.</returns>
    /// <exception cref="NodeFailedException">A node failed after its last attempt.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The graph was disposed.</exception>
    public Task<TState> InvokeAsync(TState input, CancellationToken cancellationToken) => InvokeAsync(input, null, cancellationToken);

    /// <summary>Runs the graph from <paramref name="input"/> without run options; see <see cref="RunAsync(TState, RunOptions?, CancellationToken)"/>.</summary>
    /// <param name="input">The initial state.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The result.</returns>
    /// <exception cref="NodeFailedException">A node failed after its last attempt.</exception>
    /// <exception cref="ObjectDisposedException">The graph was disposed.</exception>
    public Task<GraphRunResult<TState>> RunAsync(TState input, CancellationToken cancellationToken) => RunAsync(input, null, cancellationToken);
}
