using Graph.Engine.Checkpoints;
using Microsoft.Extensions.Logging;

namespace Graph.Engine.Graphs;

/// <summary>Supervision: durable runs restarted from their checkpoints (docs/durability.md), and the node actors' supervisor (docs/graphs.md).</summary>
public sealed partial class CompiledGraph<TState, TUpdate>
{
    /// <summary>The executor of the graph's tasks (for diagnostics and tests).</summary>
    internal ITaskExecutor<TState, TUpdate> Executor => executor;

    /// <summary>
    /// Runs the graph from <paramref name="input"/> as a supervised child: like <see cref="RunAsync(TState, RunOptions?, CancellationToken)"/>,
    /// but when a node fails after its retries (or a step fails under <see cref="BranchFailurePolicy.ContinueOthers"/>,
    /// a <see cref="StepFailedException"/>) the run is resumed from the thread's last checkpoint (finished tasks are
    /// not run again) after <paramref name="supervision"/>'s restart delay, at most <see cref="RunSupervision.MaxRestarts"/>
    /// times within <see cref="RunSupervision.Period"/>. One failure more is handled per
    /// <see cref="RunSupervision.OnExhausted"/>: by default the thread is left interrupted with a <see cref="RunFailure"/>.
    /// </summary>
    /// <param name="input">The initial state.</param>
    /// <param name="runOptions">Run options; <see cref="RunOptions.ThreadId"/> is required.</param>
    /// <param name="supervision">The restart policy; null is <see cref="RunSupervision.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the run and its restart delays.</param>
    /// <returns>Completed, or interrupted (by a node, or with a <see cref="RunFailure"/> per failed task when the restarts are exhausted).</returns>
    /// <exception cref="InvalidOperationException">The graph has no checkpointer, or <see cref="RunOptions.ThreadId"/> is not set.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An invalid <paramref name="supervision"/> value (the message names it).</exception>
    /// <exception cref="NodeFailedException">The restarts are exhausted and <see cref="RunSupervision.OnExhausted"/> is <see cref="RunExhaustedAction.Fail"/>.</exception>
    /// <exception cref="StepFailedException">As <see cref="NodeFailedException"/>, when the last failure was a step's under <see cref="BranchFailurePolicy.ContinueOthers"/>.</exception>
    /// <exception cref="ObjectDisposedException">The graph was disposed.</exception>
    public Task<GraphRunResult<TState>> RunSupervisedAsync(TState input, RunOptions runOptions, RunSupervision? supervision = null, CancellationToken cancellationToken = default)
    {
        var supervisor = NewRunSupervisor(runOptions, supervision);
        return supervisor.RunAsync(() => RunAsync(input, runOptions, cancellationToken), null, cancellationToken);
    }

    /// <summary>
    /// Continues thread <paramref name="threadId"/> as a supervised child (see <see cref="RunSupervisedAsync"/>). Call it
    /// for a run whose process died (the reload): a thread whose latest checkpoint was written by a run, plans tasks and
    /// has no pending interrupt is resumed after the first restart delay, and the reload counts as a restart. A thread
    /// waiting at an interrupt (a node's, a static one, or the <see cref="RunFailure"/> of exhausted restarts), or
    /// changed by <see cref="UpdateStateAsync"/> or <see cref="ForkAsync"/>, is resumed at once with
    /// <paramref name="resume"/>, with a fresh restart intensity.
    /// </summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="resume">Resume values; null is <see cref="Resume.Continue"/>.</param>
    /// <param name="runOptions">Run options (its <see cref="RunOptions.ThreadId"/> is replaced by <paramref name="threadId"/>).</param>
    /// <param name="supervision">The restart policy; null is <see cref="RunSupervision.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the run and its restart delays.</param>
    /// <returns>Completed, or interrupted.</returns>
    /// <exception cref="InvalidOperationException">No checkpointer, or the thread has no checkpoint.</exception>
    /// <exception cref="GraphThreadFinishedException">The thread has finished.</exception>
    /// <exception cref="NodeFailedException">The restarts are exhausted and <see cref="RunSupervision.OnExhausted"/> is <see cref="RunExhaustedAction.Fail"/>.</exception>
    /// <exception cref="StepFailedException">As <see cref="NodeFailedException"/>, when the last failure was a step's under <see cref="BranchFailurePolicy.ContinueOthers"/>.</exception>
    public async Task<GraphRunResult<TState>> ResumeSupervisedAsync(string threadId, Resume? resume = null, RunOptions? runOptions = null, RunSupervision? supervision = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        var options = (runOptions ?? new RunOptions()) with { ThreadId = threadId };
        var supervisor = NewRunSupervisor(options, supervision);
        var latest = await Store().GetAsync(threadId, null, cancellationToken).ConfigureAwait(false);
        var reload = latest is not null && IsReload(latest, resume, options) ? latest.Id : (long?)null;
        return await supervisor.RunAsync(() => ResumeAsync(threadId, resume, options, cancellationToken), reload, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Leaves the thread interrupted after its supervisor gave up: each failed task of the latest checkpoint (one, or
    /// a step's under <see cref="BranchFailurePolicy.ContinueOthers"/>) gets an <see cref="PendingWriteKind.Interrupt"/>
    /// write whose value is a <see cref="RunFailure"/>.
    /// </summary>
    internal async Task<GraphRunResult<TState>> InterruptFailedAsync(string threadId, IReadOnlyList<NodeFailedException> failures, int restarts, CancellationToken cancellationToken)
    {
        var store = Store();
        var latest = await store.GetAsync(threadId, null, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Thread '{threadId}' has no checkpoint to leave interrupted.", failures[0]);
        var interrupts = new List<GraphInterrupt>(failures.Count);
        var writes = new List<PendingWrite>(failures.Count);
        foreach (var failure in failures)
        {
            var planned = failure.TaskIndex < latest.NextTasks.Count && latest.NextTasks[failure.TaskIndex].Node == failure.Node
                ? latest.NextTasks[failure.TaskIndex]
                : latest.NextTasks.FirstOrDefault(t => t.Node == failure.Node);
            if (planned is null)
            {
                // The failure is not a task of the latest checkpoint (a concurrent writer moved the thread on): nothing to attach it to.
                throw new InvalidOperationException($"Thread '{threadId}': the failed node '{failure.Node}' is not planned at checkpoint {latest.Id}; the thread is left as it is.", failure);
            }

            var value = new RunFailure(failure.Node, failure.Step, planned.TaskId, ErrorText(failure), restarts);
            var interrupt = new GraphInterrupt($"failed:{planned.TaskId}", failure.Node, planned.TaskId, InterruptKind.Dynamic, value);
            interrupts.Add(interrupt);
            writes.Add(new PendingWrite(planned.TaskId, failure.Node, PendingWriteKind.Interrupt, CheckpointCodec.EncodeInterrupt(options.Serializer, interrupt, [])));
        }

        await store.PutWritesAsync(threadId, latest.Id, writes, cancellationToken).ConfigureAwait(false);
        return new GraphRunResult<TState>(GraphRunStatus.Interrupted, latest.ReadState<TState>(options.Serializer), interrupts, threadId, latest.Id);
    }

    private RunSupervisor<TState, TUpdate> NewRunSupervisor(RunOptions runOptions, RunSupervision? supervision)
    {
        ArgumentNullException.ThrowIfNull(runOptions);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        if (!IsPersisted(runOptions))
        {
            throw new InvalidOperationException("A supervised run restarts from its checkpoints: it needs GraphCompileOptions.Checkpointer and RunOptions.ThreadId.");
        }

        var policy = supervision ?? RunSupervision.Default;
        policy.Validate();
        return new RunSupervisor<TState, TUpdate>(this, policy, runOptions, options.ResolveLoggerFactory().CreateLogger(Diagnostics.GraphLog.Category));
    }

    /// <summary>
    /// Whether resuming <paramref name="latest"/> reloads a run that stopped unfinished (its process died, or it failed),
    /// rather than continuing after a person: no resume values, no replay, a checkpoint written by a run (not by
    /// <see cref="UpdateStateAsync"/> or <see cref="ForkAsync"/>) that plans tasks, no pending dynamic interrupt, and
    /// not stopped at a static interrupt.
    /// </summary>
    private bool IsReload(Checkpoint latest, Resume? resume, RunOptions runOptions)
    {
        if ((resume is not null && !ReferenceEquals(resume, Resume.Continue)) || runOptions.CheckpointId is not null || latest.NextTasks.Count == 0
            || latest.Metadata.Source is not (CheckpointSource.Loop or CheckpointSource.Input))
        {
            return false;
        }

        var before = runOptions.InterruptBefore ?? options.InterruptBefore;
        var after = runOptions.InterruptAfter ?? options.InterruptAfter;
        var position = latest.NextTasks.Select(t => t.TaskId).ToHashSet(StringComparer.Ordinal);
        var done = latest.PendingWrites.Where(w => w.Kind == PendingWriteKind.Update).Select(w => w.TaskId).ToHashSet(StringComparer.Ordinal);
        return !latest.PendingWrites.Any(w => w.Kind == PendingWriteKind.Interrupt && position.Contains(w.TaskId) && !done.Contains(w.TaskId))
            && !latest.NextTasks.Any(t => before.Contains(t.Node))
            && !latest.Metadata.Writers.Any(after.Contains);
    }

    private static string ErrorText(NodeFailedException failure) =>
        failure.InnerException is { } inner ? $"{inner.GetType().FullName}: {inner.Message}" : failure.Message;
}
