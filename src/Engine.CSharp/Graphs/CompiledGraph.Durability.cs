using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>Durable runs: run to a result, resume a thread, stream a resume (docs/durability.md).</summary>
public sealed partial class CompiledGraph<TState, TUpdate>
{
    /// <summary>
    /// Runs the graph from <paramref name="input"/> like <see cref="InvokeAsync(TState, RunOptions?, CancellationToken)"/>, but reports an interrupt as a result
    /// (<see cref="GraphRunStatus.Interrupted"/> with the pending interrupts) instead of an exception.
    /// </summary>
    /// <param name="input">The initial state.</param>
    /// <param name="runOptions">Run options; set <see cref="RunOptions.ThreadId"/> to save checkpoints.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The result.</returns>
    /// <exception cref="NodeFailedException">A node failed after its last attempt (the thread stays resumable).</exception>
    /// <exception cref="CheckpointStoreException">The checkpointer failed.</exception>
    /// <exception cref="ObjectDisposedException">The graph was disposed.</exception>
    public async Task<GraphRunResult<TState>> RunAsync(TState input, RunOptions? runOptions = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        var run = await ExecuteAsync(RunStart.New(input), runOptions, null, cancellationToken).ConfigureAwait(false);
        return await ResultOfAsync(run).ConfigureAwait(false);
    }

    /// <summary>
    /// Continues thread <paramref name="threadId"/> from its latest checkpoint (or <see cref="RunOptions.CheckpointId"/>,
    /// which is forked first when it is not the latest: replay). Planned tasks whose updates are recorded are not run
    /// again; interrupted tasks run again from their start and receive the resume values; static interrupts before
    /// the resumed step are not raised again. A thread whose latest checkpoint plans nothing has finished: that is a
    /// <see cref="GraphThreadFinishedException"/>, and nothing is written.
    /// </summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="resume">Resume values; null is <see cref="Resume.Continue"/>.</param>
    /// <param name="runOptions">Run options (its <see cref="RunOptions.ThreadId"/> is replaced by <paramref name="threadId"/>).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The result: completed, or interrupted again.</returns>
    /// <exception cref="InvalidOperationException">No checkpointer, or the thread has no checkpoint.</exception>
    /// <exception cref="GraphThreadFinishedException">The thread has finished: the checkpoint to continue from plans no tasks (start a new run instead).</exception>
    /// <exception cref="ArgumentException">A resume value names no pending interrupt, or <see cref="Resume.With"/> was used with zero or several pending interrupts.</exception>
    /// <exception cref="GraphCompatibilityException">The checkpoint was written by a different graph and no <see cref="GraphCompileOptions.StateMigrations"/> bring it forward (docs/durability.md).</exception>
    /// <exception cref="CheckpointStoreException">The thread holds another state type, a node the graph lacks, or the store failed.</exception>
    /// <exception cref="NodeFailedException">A node failed after its last attempt.</exception>
    public async Task<GraphRunResult<TState>> ResumeAsync(string threadId, Resume? resume = null, RunOptions? runOptions = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        var run = await ExecuteAsync(RunStart.Continue(resume), (runOptions ?? new RunOptions()) with { ThreadId = threadId }, null, cancellationToken).ConfigureAwait(false);
        return await ResultOfAsync(run).ConfigureAwait(false);
    }

    /// <summary>Like <see cref="ResumeAsync"/>, yielding the run's events as <see cref="StreamAsync(TState, RunOptions?, CancellationToken)"/> does.</summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="resume">Resume values; null is <see cref="Resume.Continue"/>.</param>
    /// <param name="runOptions">Run options.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The events; an interrupted run ends with <see cref="InterruptedEvent"/> and no exception. A finished
    /// thread yields nothing and the enumeration throws <see cref="GraphThreadFinishedException"/>.</returns>
    public IAsyncEnumerable<GraphEvent> StreamResumeAsync(string threadId, Resume? resume = null, RunOptions? runOptions = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        return StreamCoreAsync(RunStart.Continue(resume), (runOptions ?? new RunOptions()) with { ThreadId = threadId }, cancellationToken);
    }

    private static async Task<GraphRunResult<TState>> ResultOfAsync(GraphRun<TState, TUpdate> run)
    {
        try
        {
            var state = await run.Completion.ConfigureAwait(false);
            return new GraphRunResult<TState>(GraphRunStatus.Completed, state, [], run.ThreadId, run.CheckpointId);
        }
        catch (GraphInterruptedException e)
        {
            return new GraphRunResult<TState>(e.Status, (TState)e.State!, e.Interrupts, e.ThreadId, e.CheckpointId);
        }
    }

    private bool IsPersisted(RunOptions? runOptions) => options.Checkpointer is not null && runOptions?.ThreadId is not null;
}
