using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Graph.Engine.Graphs;

/// <summary>
/// A validated graph, ready to run many times concurrently. Runs are independent: a failing run never disturbs
/// another. Dispose it to release its executor (and any node instances).
/// </summary>
/// <typeparam name="TState">The state type.</typeparam>
/// <typeparam name="TUpdate">The update type.</typeparam>
public sealed class CompiledGraph<TState, TUpdate> : IAsyncDisposable
{
    private readonly GraphCompileOptions options;
    private readonly ITaskExecutor<TState, TUpdate> executor;
    private readonly SemaphoreSlim? runGate;
    private int disposed;

    internal CompiledGraph(GraphModel<TState, TUpdate> model, GraphCompileOptions options)
    {
        Model = model;
        this.options = options;
        executor = options.ExecutorFactory?.Create(model, options) ?? new ActorTaskExecutor<TState, TUpdate>(model, options);
        runGate = options.MaxConcurrentRuns is { } max ? new SemaphoreSlim(max) : null;
    }

    /// <summary>The node names, in insertion order.</summary>
    public IReadOnlyList<string> NodeNames => [.. Model.Nodes.Select(n => n.Name)];

    /// <summary>The compile options.</summary>
    public GraphCompileOptions Options => options;

    internal GraphModel<TState, TUpdate> Model { get; }

    /// <summary>Runs the graph from <paramref name="input"/> to its end.</summary>
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
    public Task<TState> InvokeAsync(TState input, RunOptions? runOptions = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        return runGate is null
            ? StartRun(input, runOptions, null, cancellationToken).Completion
            : InvokeGatedAsync(input, runOptions, null, cancellationToken);
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
    public async IAsyncEnumerable<GraphEvent> StreamAsync(TState input, RunOptions? runOptions = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        var channel = Channel.CreateUnbounded<GraphEvent>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var completion = runGate is null
            ? StartRun(input, runOptions, channel.Writer, stop.Token).Completion
            : InvokeGatedAsync(input, runOptions, channel.Writer, stop.Token);
        try
        {
            while (await channel.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var e))
                {
                    yield return e;
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await completion.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Observed below when the stream ran to its end; an abandoned stream swallows it.
            }
        }

        await completion.ConfigureAwait(false);
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

        await executor.DisposeAsync().ConfigureAwait(false);
        runGate?.Dispose();
    }

    internal GraphRun<TState, TUpdate> StartRun(TState input, RunOptions? runOptions, ChannelWriter<GraphEvent>? events, CancellationToken cancellationToken)
    {
        var run = new GraphRun<TState, TUpdate>(Model, executor, options, input, runOptions, events, cancellationToken);
        run.Start();
        return run;
    }

    private async Task<TState> InvokeGatedAsync(TState input, RunOptions? runOptions, ChannelWriter<GraphEvent>? events, CancellationToken cancellationToken)
    {
        try
        {
            await runGate!.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            events?.TryComplete();
            throw;
        }

        try
        {
            return await StartRun(input, runOptions, events, cancellationToken).Completion.ConfigureAwait(false);
        }
        finally
        {
            runGate.Release();
        }
    }
}
