using Graph.Engine.Graphs;

namespace Graph.Engine.Testing;

/// <summary>
/// A graph compiled for deterministic runs (see <see cref="GraphTest"/>): runs and resumes are recorded as
/// <see cref="RunRecord{TState, TUpdate}"/>s, nodes can be replaced by stubs by name between runs, and the
/// <see cref="Clock"/> moves to the next timer whenever no task is ready. Run it from one test thread at a time.
/// </summary>
/// <typeparam name="TState">The state type.</typeparam>
/// <typeparam name="TUpdate">The update type.</typeparam>
public sealed class GraphTest<TState, TUpdate> : IDisposable
{
    private readonly NodeStubs<TState, TUpdate> stubs = new();

    internal GraphTest(StateGraph<TState, TUpdate> graph, DeterministicScheduler scheduler, GraphCompileOptions options)
    {
        Scheduler = scheduler;
        Compiled = graph.Compile(options with
        {
            TimeProvider = Scheduler.Clock,
            TaskExecutorFactory = new SeededExecutorFactory(Scheduler, stubs),
        });
    }

    /// <summary>The seed.</summary>
    public int Seed => Scheduler.Seed;

    /// <summary>The scheduler the runs execute on (its <see cref="DeterministicScheduler.Trace"/> lists the tasks in the order they started).</summary>
    public DeterministicScheduler Scheduler { get; }

    /// <summary>The clock of the graph's timeouts, retry delays and checkpoint times.</summary>
    public SimulatedClock Clock => Scheduler.Clock;

    /// <summary>The compiled graph (run it through <see cref="Run"/> or inside <see cref="DeterministicScheduler.Run"/>).</summary>
    public CompiledGraph<TState, TUpdate> Compiled { get; }

    /// <summary>Replaces node <paramref name="node"/> by <paramref name="stub"/> for the following runs.</summary>
    /// <param name="node">The node name (a state, factory or subgraph node).</param>
    /// <param name="stub">The update the stub returns for a state.</param>
    /// <returns>This harness.</returns>
    /// <exception cref="ArgumentException">The graph has no such node, or it is a worker.</exception>
    public GraphTest<TState, TUpdate> Stub(string node, Func<TState, NodeResult<TUpdate>> stub)
    {
        stubs.Stub(node, stub);
        return this;
    }

    /// <summary>Replaces node <paramref name="node"/> by an asynchronous stub that sees the task's context.</summary>
    /// <param name="node">The node name (a state, factory or subgraph node).</param>
    /// <param name="stub">The stub.</param>
    /// <returns>This harness.</returns>
    /// <exception cref="ArgumentException">The graph has no such node, or it is a worker.</exception>
    public GraphTest<TState, TUpdate> Stub(string node, Func<TState, NodeContext, ValueTask<NodeResult<TUpdate>>> stub)
    {
        stubs.Stub(node, stub);
        return this;
    }

    /// <summary>Replaces worker node <paramref name="node"/> by <paramref name="stub"/> for the following runs.</summary>
    /// <typeparam name="TArg">The worker's argument type.</typeparam>
    /// <param name="node">The worker's name.</param>
    /// <param name="stub">The update the stub returns for a Send argument.</param>
    /// <returns>This harness.</returns>
    /// <exception cref="ArgumentException">The graph has no such node, or it is not a worker.</exception>
    public GraphTest<TState, TUpdate> StubWorker<TArg>(string node, Func<TArg, NodeResult<TUpdate>> stub)
    {
        stubs.StubWorker(node, stub);
        return this;
    }

    /// <summary>Puts node <paramref name="node"/> back in place of its stub.</summary>
    /// <param name="node">The node name.</param>
    /// <returns>Whether a stub was removed.</returns>
    public bool RemoveStub(string node) => stubs.RemoveStub(node);

    /// <summary>
    /// The stubs of subgraph node <paramref name="node"/>'s child graph, to replace nodes inside the subgraph by name
    /// without rebuilding either graph: <c>test.Subgraph&lt;TChildState, TChildUpdate&gt;("write").Stub("fetch", …)</c>.
    /// From then on the child runs on this test's scheduler and clock, in <see cref="Run"/>, <see cref="Resume"/> and
    /// <see cref="RunNode"/> alike.
    /// </summary>
    /// <typeparam name="TChildState">The child graph's state type.</typeparam>
    /// <typeparam name="TChildUpdate">The child graph's update type.</typeparam>
    /// <param name="node">The subgraph node's name.</param>
    /// <returns>The child's stub table (<see cref="NodeStubs{TState, TUpdate}.Subgraph{TChildState, TChildUpdate}"/> reaches deeper subgraphs).</returns>
    /// <exception cref="ArgumentException">The graph has no such node, it is not a subgraph node, or its child has other types.</exception>
    public NodeStubs<TChildState, TChildUpdate> Subgraph<TChildState, TChildUpdate>(string node) => stubs.Subgraph<TChildState, TChildUpdate>(node);

    /// <summary>
    /// Calls node <paramref name="node"/> once on its own, as <see cref="NodeIsolation.RunNodeAsync"/> does, on this
    /// test's scheduler and with its stubs: a stubbed node runs its stub, and a subgraph node runs its child with the
    /// stubs set through <see cref="Subgraph{TChildState, TChildUpdate}"/>.
    /// </summary>
    /// <param name="node">The node name.</param>
    /// <param name="state">The state the node sees (ignored by a worker).</param>
    /// <param name="context">The context: argument, step, thread, resume values, token; null for defaults.</param>
    /// <returns>The node's result and the custom events it emitted.</returns>
    /// <exception cref="ArgumentException">The graph has no such node, or a worker's argument has the wrong type.</exception>
    public NodeRun<TUpdate> RunNode(string node, TState state, IsolatedContext? context = null) =>
        Scheduler.Run(async () =>
        {
            await using var children = new ChildGraphs(Scheduler);
            return await NodeIsolation.RunAsync(Compiled, node, state, context, stubs, children).ConfigureAwait(true);
        });

    /// <summary>Runs the graph from <paramref name="input"/> to its end, an interrupt or a failure, and records it.</summary>
    /// <param name="input">The initial state.</param>
    /// <param name="runOptions">Run options (thread id, timeout, interrupts); null for defaults.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The record; a failure is in <see cref="RunRecord{TState, TUpdate}.Error"/>, not thrown.</returns>
    public RunRecord<TState, TUpdate> Run(TState input, RunOptions? runOptions = null, CancellationToken cancellationToken = default) =>
        Record(() => Compiled.StreamAsync(input, runOptions, cancellationToken));

    /// <summary>Resumes thread <paramref name="threadId"/> (after an interrupt or a failure) and records the run.</summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="resume">The resume values; null to continue.</param>
    /// <param name="runOptions">Run options; null for defaults.</param>
    /// <returns>The record of the resumed run.</returns>
    public RunRecord<TState, TUpdate> Resume(string threadId, Resume? resume = null, RunOptions? runOptions = null) =>
        Record(() => Compiled.StreamResumeAsync(threadId, resume, runOptions));

    /// <summary>Runs <paramref name="body"/> under the deterministic scheduler (for several runs at once, or the graph's other methods).</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="body">The code to run.</param>
    /// <returns>Its result.</returns>
    public T Execute<T>(Func<CompiledGraph<TState, TUpdate>, Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Scheduler.Run(() => body(Compiled));
    }

    private RunRecord<TState, TUpdate> Record(Func<IAsyncEnumerable<GraphEvent>> stream) =>
        Scheduler.Run(async () =>
        {
            var events = new List<GraphEvent>();
            Exception? error = null;
            try
            {
                // The events are read off the scheduler (on the pool): a reader that posted back here would land
                // at times the seed does not choose and change the order of the run's own work.
                await foreach (var e in stream().ConfigureAwait(false))
                {
                    events.Add(e);
                }
            }
#pragma warning disable CA1031 // The run's exception is its outcome, kept in the record.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                error = ex;
            }

            if (error is null && events.OfType<InterruptedEvent>().LastOrDefault() is { } interrupted)
            {
                error = new GraphInterruptedException(null, interrupted.CheckpointId, interrupted.Interrupts, default(TState));
            }

            return new RunRecord<TState, TUpdate>(events, error);
        });

    /// <summary>Disposes the compiled graph.</summary>
    public void Dispose() => Scheduler.Run(async () => await Compiled.DisposeAsync().ConfigureAwait(true));
}
