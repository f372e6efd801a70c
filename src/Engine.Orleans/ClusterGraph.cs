using Graph.Engine.Graphs;
using Graph.Engine.Orleans.Wire;

namespace Graph.Engine.Orleans;

/// <summary>
/// A client of a graph registered in an Orleans cluster, with the surface of <see cref="CompiledGraph{TState, TUpdate}"/>:
/// code moves from one process to a cluster by changing how the graph is constructed. Each thread is a grain; its runs
/// survive the loss of the silo hosting them (they resume from their last checkpoint), and every call runs at most once.
/// </summary>
/// <typeparam name="TState">The state type (as registered in the silos).</typeparam>
/// <typeparam name="TUpdate">The update type (as registered in the silos).</typeparam>
public sealed partial class ClusterGraph<TState, TUpdate>
{
    private readonly IGrainFactory grains;
    private readonly ClusterGraphOptions options;
    private readonly WireCodec codec;

    /// <summary>Creates a client of the graph registered as <paramref name="name"/>.</summary>
    /// <param name="grains">The cluster client (or a silo's grain factory).</param>
    /// <param name="name">The name the graph is registered under in the silos (<c>AddGraph</c>).</param>
    /// <param name="options">Client options; null for defaults.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public ClusterGraph(IGrainFactory grains, string name, ClusterGraphOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrEmpty(name);
        this.grains = grains;
        Name = name;
        this.options = options ?? new ClusterGraphOptions();
        ArgumentNullException.ThrowIfNull(this.options.Serializer, "options.Serializer");
        if (this.options.RetryFor < TimeSpan.Zero || this.options.RetryDelay < TimeSpan.Zero || this.options.PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "RetryFor and RetryDelay must not be negative, and PollInterval must be positive.");
        }

        codec = new WireCodec(this.options.Serializer);
    }

    /// <summary>The registered graph's name.</summary>
    public string Name { get; }

    /// <summary>Runs the graph on thread <see cref="RunOptions.ThreadId"/> (a new thread when null) and returns its final state.</summary>
    /// <param name="input">The initial state.</param>
    /// <param name="runOptions">Run options; null for defaults.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The final state.</returns>
    /// <exception cref="GraphInterruptedException">The run stopped at an interrupt.</exception>
    /// <exception cref="ThreadBusyException">The thread has a run in flight (<see cref="DoubleTexting.Reject"/>).</exception>
    public async Task<TState> InvokeAsync(TState input, RunOptions? runOptions = null, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(input, runOptions, cancellationToken).ConfigureAwait(false);
        return result.IsInterrupted
            ? throw new GraphInterruptedException(result.ThreadId, result.CheckpointId, result.Interrupts, result.State)
            : result.State;
    }

    /// <summary>Runs the graph from <paramref name="input"/> on thread <see cref="RunOptions.ThreadId"/> (a new thread when null).</summary>
    /// <param name="input">The initial state.</param>
    /// <param name="runOptions">Run options; null for defaults.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The result: completed, or interrupted.</returns>
    /// <exception cref="ThreadBusyException">The thread has a run in flight (<see cref="DoubleTexting.Reject"/>).</exception>
    public Task<GraphRunResult<TState>> RunAsync(TState input, RunOptions? runOptions = null, CancellationToken cancellationToken = default) =>
        RunAsync(input, runOptions, new ClusterCallOptions(), cancellationToken);

    /// <summary>Like <see cref="RunAsync(TState, RunOptions?, CancellationToken)"/>, with fences and a double-texting policy.</summary>
    /// <param name="input">The initial state.</param>
    /// <param name="runOptions">Run options; null for defaults.</param>
    /// <param name="call">The call's id, checkpoint fence and double-texting policy.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The result: completed, or interrupted.</returns>
    /// <exception cref="ThreadBusyException">The thread has a run in flight (<see cref="DoubleTexting.Reject"/>).</exception>
    /// <exception cref="ThreadFenceException">The thread is not at <see cref="ClusterCallOptions.ExpectedCheckpointId"/>.</exception>
    public Task<GraphRunResult<TState>> RunAsync(TState input, RunOptions? runOptions, ClusterCallOptions call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var threadId = runOptions?.ThreadId ?? Guid.NewGuid().ToString("N");
        return RunCallAsync(threadId, Call(call, runOptions, resume: false) with { Input = codec.Encode(input) }, cancellationToken);
    }

    /// <summary>Continues thread <paramref name="threadId"/> from its latest checkpoint (or <see cref="RunOptions.CheckpointId"/>), as <see cref="CompiledGraph{TState, TUpdate}.ResumeAsync"/> does.</summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="resume">Resume values; null is <see cref="Resume.Continue"/>.</param>
    /// <param name="runOptions">Run options.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The result: completed, or interrupted again.</returns>
    /// <exception cref="ThreadBusyException">The thread has a run in flight (<see cref="DoubleTexting.Reject"/>).</exception>
    public Task<GraphRunResult<TState>> ResumeAsync(string threadId, Resume? resume = null, RunOptions? runOptions = null, CancellationToken cancellationToken = default) =>
        ResumeAsync(threadId, resume, runOptions, new ClusterCallOptions(), cancellationToken);

    /// <summary>Like <see cref="ResumeAsync(string, Resume?, RunOptions?, CancellationToken)"/>, with fences and a double-texting policy.</summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="resume">Resume values; null is <see cref="Resume.Continue"/>.</param>
    /// <param name="runOptions">Run options.</param>
    /// <param name="call">The call's id, checkpoint fence and double-texting policy.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The result: completed, or interrupted again.</returns>
    /// <exception cref="ThreadBusyException">The thread has a run in flight (<see cref="DoubleTexting.Reject"/>).</exception>
    /// <exception cref="ThreadFenceException">The thread is not at <see cref="ClusterCallOptions.ExpectedCheckpointId"/>.</exception>
    public Task<GraphRunResult<TState>> ResumeAsync(string threadId, Resume? resume, RunOptions? runOptions, ClusterCallOptions call, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        ArgumentNullException.ThrowIfNull(call);
        var wire = Call(call, runOptions, resume: true);
        if (resume is not null && resume.HasSingle)
        {
            wire = wire with { ResumeValue = codec.EncodeValue(resume.Single) };
        }
        else if (resume is not null && resume.Values.Count > 0)
        {
            wire = wire with { ResumeValues = resume.Values.ToDictionary(p => p.Key, p => codec.EncodeValue(p.Value), StringComparer.Ordinal) };
        }

        return RunCallAsync(threadId, wire, cancellationToken);
    }

    private WireRunCall Call(ClusterCallOptions call, RunOptions? runOptions, bool resume) => new()
    {
        Graph = Name,
        CallId = call.CallId ?? Guid.NewGuid().ToString("N"),
        Resume = resume,
        ExpectedCheckpointId = call.ExpectedCheckpointId,
        DoubleTexting = (int)(call.DoubleTexting ?? options.DoubleTexting),
        CheckpointId = runOptions?.CheckpointId,
        StepLimit = runOptions?.StepLimit,
        Wait = options.PollInterval,
        InterruptBefore = runOptions?.InterruptBefore is { } before ? [.. before] : null,
        InterruptAfter = runOptions?.InterruptAfter is { } after ? [.. after] : null,
    };

    private async Task<GraphRunResult<TState>> RunCallAsync(string threadId, WireRunCall call, CancellationToken cancellationToken)
    {
        var grain = grains.GetGrain<IThreadGrain>(threadId);
        using var cancel = cancellationToken.Register(() => _ = grain.CancelAsync(call.CallId));
        // Asks until the run has ended; an ask that gets no answer in two poll intervals (its silo died) is asked again.
        var patience = options.PollInterval * 2;
        while (true)
        {
            var result = await RetryAsync(() => grain.RunAsync(call).WaitAsync(patience, options.TimeProvider), cancellationToken).ConfigureAwait(false);
            if (!result.Pending)
            {
                return codec.Decode<TState>(result);
            }
        }
    }
}
