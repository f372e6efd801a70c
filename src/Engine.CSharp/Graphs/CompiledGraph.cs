using Graph.Engine.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Graph.Engine.Graphs;

/// <summary>
/// A validated graph, ready to run many times concurrently. Runs are independent: a failing run never disturbs
/// another. Dispose it to release its executor (and any node instances).
/// </summary>
/// <typeparam name="TState">The state type.</typeparam>
/// <typeparam name="TUpdate">The update type.</typeparam>
public sealed partial class CompiledGraph<TState, TUpdate> : IAsyncDisposable
{
    private readonly GraphCompileOptions options;
    private readonly ITaskExecutor<TState, TUpdate> executor;
    private readonly SemaphoreSlim? runGate;
    private readonly ILogger logger;

    /// <summary>What every run of this graph shares (see <see cref="GraphRunShared{TState, TUpdate}"/>).</summary>
    private readonly GraphRunShared<TState, TUpdate> runShared;
    private int disposed;

    internal CompiledGraph(GraphModel<TState, TUpdate> model, GraphCompileOptions options)
    {
        Model = model;
        Options = options;
        this.options = options with { Serializer = KeyedStateSerializer.For(options.Serializer, model.Reducer) };
        logger = options.ResolveLoggerFactory().CreateLogger(GraphLog.Category);
        foreach (var node in model.Nodes)
        {
            node.Pipeline = node.Options.ResiliencePipeline ?? node.Options.Retry?.ToPipeline(options.TimeProvider, logger);
            node.Parallelism = node.Options.ParallelismFor(node.Kind, options.MaxNodeParallelism);
            node.NeedsFullTask = node.Pipeline is not null || node.Options.Timeout is not null || node.Options.IdleTimeout is not null
                || node.Options.Cache is not null || model.Control.HandlerOf(node.Index) is not null;
        }

        executor = options.TaskExecutorFactory?.Create(model, options) ?? new ActorTaskExecutor<TState, TUpdate>(model, options);
        runGate = options.MaxConcurrentRuns is { } max ? new SemaphoreSlim(max) : null;
        runShared = new(model, executor, this.options, logger, this.options.InterruptBefore, this.options.InterruptAfter);
    }

    /// <summary>The node names, in insertion order.</summary>
    public IReadOnlyList<string> NodeNames => [.. Model.Nodes.Select(n => n.Name)];

    /// <summary>The compile options.</summary>
    public GraphCompileOptions Options { get; }

    internal GraphModel<TState, TUpdate> Model { get; }

    /// <summary>The groups of this graph's runs by caller's token (see <see cref="CallerTokens{TState, TUpdate}"/>).</summary>
    internal CallerTokens<TState, TUpdate> CallerTokens => runShared.CallerTokens;

    /// <summary>
    /// Runs the graph from <paramref name="input"/> to its end. With a checkpointer and <see cref="RunOptions.ThreadId"/>
    /// the run is saved after every step; it always starts a new run from <paramref name="input"/> (on a thread with
    /// history, the new checkpoints follow the latest one); use <c>ResumeAsync</c> to continue a thread instead, or
    /// <c>ContinueAsync</c> to add a new turn (input applied as an update).
    /// </summary>
    /// <param name="input">The initial state.</param>
    /// <param name="runOptions">Run options; null for defaults.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The final state.</returns>
    /// <exception cref="NodeFailedException">A node failed after its last attempt.</exception>
    /// <exception cref="InvalidRouteException">A router or command went to an undeclared or invalid target.</exception>
    /// <exception cref="GraphRecursionLimitException">The run would exceed its step limit.</exception>
    /// <exception cref="JoinSkippedException">The run ended with a join partially satisfied (under <see cref="JoinSkippedPolicy.Fail"/>).</exception>
    /// <exception cref="TimeoutException">The run exceeded <see cref="RunOptions.Timeout"/>.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The graph was disposed.</exception>
    /// <exception cref="GraphInterruptedException">The run stopped at an interrupt (use <c>RunAsync</c> to get a result instead).</exception>
    /// <exception cref="Checkpoints.CheckpointStoreException">The checkpointer failed.</exception>
    public Task<TState> InvokeAsync(TState input, RunOptions? runOptions = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        if (runGate is null && !IsPersisted(runOptions))
        {
            return NewRun(input, runOptions, null, null).Started(cancellationToken).Completion;
        }

        var started = ExecuteAsync(RunStart.New(input), runOptions, null, cancellationToken);
        if (started.IsCompletedSuccessfully)
        {
            return started.Result.Completion; // the store answered synchronously (in memory): no continuation
        }

        return CompletionAsync(started.AsTask());
    }

    /// <summary>
    /// The completion of a run whose start (slot, thread load) is pending. A start cancelled by the caller's token
    /// ends Canceled with that token, as a cancelled run does.
    /// </summary>
    private static async Task<TState> CompletionAsync(Task<GraphRun<TState, TUpdate>> started)
    {
        var run = await started.ConfigureAwait(false);
        return await run.Completion.ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the graph and yields its events as they happen: task started/finished, step finished, custom events,
    /// skipped joins, and finally <see cref="RunFinishedEvent{TState}"/> or <see cref="RunFailedEvent"/> (after which
    /// the enumeration throws the run's exception). Stopping the enumeration early cancels the run.
    /// </summary>
    /// <param name="input">The initial state.</param>
    /// <param name="runOptions">Run options; null for defaults.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The events.</returns>
    public IAsyncEnumerable<GraphEvent> StreamAsync(TState input, RunOptions? runOptions = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        return StreamCoreAsync(RunStart.New(input), runOptions, cancellationToken);
    }

    /// <summary>
    /// Renders the graph as a Mermaid flowchart: START and END as stadiums, nodes as boxes (workers as subroutines),
    /// plain edges solid (<c>--&gt;</c>), router targets and command destinations dashed (<c>-.-&gt;</c>), join edges
    /// thick (<c>==&gt;</c>). Deterministic.
    /// </summary>
    /// <returns>The Mermaid text.</returns>
    public string ToMermaid() => GraphRenderer.ToMermaid(Model.Nodes, Model.Edges, Model.Conditionals, Model.Joins);

    /// <summary>Renders the graph in Graphviz DOT (conditional edges dashed, join edges bold). Deterministic.</summary>
    /// <returns>The DOT text.</returns>
    public string ToDot() => GraphRenderer.ToDot(Model.Nodes, Model.Edges, Model.Conditionals, Model.Joins);

    /// <summary>Releases the executor and node instances; runs started afterwards throw <see cref="ObjectDisposedException"/>.</summary>
    /// <returns>A task that completes when released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await DisposeOnStoresAsync().ConfigureAwait(false);
        await executor.DisposeAsync().ConfigureAwait(false);
        runGate?.Dispose();
        runShared.CallerTokens.Release();
    }
}
