namespace Graph.Engine.Graphs;

/// <summary>Multi-turn threads: continue a thread with new input applied as an update (LangGraph's chat pattern).</summary>
public sealed partial class CompiledGraph<TState, TUpdate>
{
    /// <summary>
    /// Continues thread <paramref name="threadId"/> with new input, as LangGraph does when a thread is invoked again:
    /// <paramref name="input"/> is reduced into the thread's latest state as if START had returned it (earlier turns
    /// are kept), and the graph runs again from START's edges. Tasks the latest checkpoint still planned (an unanswered
    /// interrupt) are dropped, as with <see cref="UpdateStateAsync"/> from START. Equivalent to
    /// <c>UpdateStateAsync(threadId, input, StateGraph.Start)</c> followed by <c>ResumeAsync(threadId)</c>.
    /// </summary>
    /// <param name="threadId">The thread; it must have a checkpoint (see the overload with an initial state).</param>
    /// <param name="input">The new input, as an update.</param>
    /// <param name="runOptions">Run options (its <see cref="RunOptions.ThreadId"/> is replaced by <paramref name="threadId"/>).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The result: completed, or interrupted.</returns>
    /// <exception cref="InvalidOperationException">No checkpointer, or the thread has no checkpoint.</exception>
    /// <exception cref="NodeFailedException">A node failed after its last attempt.</exception>
    /// <exception cref="Checkpoints.CheckpointStoreException">The thread holds another state type, or the store failed.</exception>
    public async Task<GraphRunResult<TState>> ContinueAsync(string threadId, TUpdate input, RunOptions? runOptions = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        if (await Store().GetAsync(threadId, null, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new InvalidOperationException(
                $"Thread '{threadId}' has no checkpoint to continue: start it with ContinueAsync(threadId, initial, input) or RunAsync(input, new RunOptions {{ ThreadId = \"{threadId}\" }}).");
        }

        await UpdateStateAsync(threadId, input, StateGraph.Start, null, cancellationToken).ConfigureAwait(false);
        return await ResumeAsync(threadId, null, runOptions, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts or continues thread <paramref name="threadId"/> with new input, so every turn of a conversation is the
    /// same call: on a thread without checkpoints the run starts from <paramref name="initial"/> with
    /// <paramref name="input"/> reduced into it (as START's update); otherwise as
    /// <see cref="ContinueAsync(string, TUpdate, RunOptions?, CancellationToken)"/> (<paramref name="initial"/> unused).
    /// </summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="initial">The state a new thread starts from, before <paramref name="input"/>.</param>
    /// <param name="input">The new input, as an update.</param>
    /// <param name="runOptions">Run options (its <see cref="RunOptions.ThreadId"/> is replaced by <paramref name="threadId"/>).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The result: completed, or interrupted.</returns>
    /// <exception cref="InvalidOperationException">No checkpointer.</exception>
    /// <exception cref="NodeFailedException">A node failed after its last attempt.</exception>
    /// <exception cref="Checkpoints.CheckpointStoreException">The thread holds another state type, or the store failed.</exception>
    public async Task<GraphRunResult<TState>> ContinueAsync(string threadId, TState initial, TUpdate input, RunOptions? runOptions = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        if (await Store().GetAsync(threadId, null, cancellationToken).ConfigureAwait(false) is not null)
        {
            return await ContinueAsync(threadId, input, runOptions, cancellationToken).ConfigureAwait(false);
        }

        var start = Model.Reducer(initial, [new NodeUpdate<TUpdate>(StateGraph.Start, 0, 0, input)]);
        return await RunAsync(start, (runOptions ?? new RunOptions()) with { ThreadId = threadId }, cancellationToken).ConfigureAwait(false);
    }
}
