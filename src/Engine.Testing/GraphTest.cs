using Graph.Engine.Graphs;

namespace Graph.Engine.Testing;

/// <summary>Creates <see cref="GraphTest{TState, TUpdate}"/>s.</summary>
public static class GraphTest
{
    /// <summary>
    /// Compiles <paramref name="graph"/> for deterministic runs: the tasks of a step run on the test's thread in an
    /// order chosen by <paramref name="seed"/>, on a <see cref="SimulatedClock"/> that jumps to the next timer.
    /// </summary>
    /// <typeparam name="TState">The state type.</typeparam>
    /// <typeparam name="TUpdate">The update type.</typeparam>
    /// <param name="graph">The graph.</param>
    /// <param name="seed">The seed; the same seed gives the same run.</param>
    /// <param name="options">Compile options (checkpointer, interrupts, step limit); their clock is replaced by the test's.</param>
    /// <param name="clock">The clock (give the one the nodes use, if they wait on a clock); null for a new one.</param>
    /// <returns>The test harness; dispose it.</returns>
    public static GraphTest<TState, TUpdate> Create<TState, TUpdate>(StateGraph<TState, TUpdate> graph, int seed = 0, GraphCompileOptions? options = null, SimulatedClock? clock = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return new GraphTest<TState, TUpdate>(graph, new DeterministicScheduler(seed, clock), options ?? GraphCompileOptions.Default);
    }

    /// <summary>
    /// Compiles <paramref name="graph"/> for deterministic runs on an existing <paramref name="scheduler"/>: for a
    /// subgraph node's child graph, or several graphs whose runs interleave under one seed.
    /// </summary>
    /// <typeparam name="TState">The state type.</typeparam>
    /// <typeparam name="TUpdate">The update type.</typeparam>
    /// <param name="graph">The graph.</param>
    /// <param name="scheduler">The scheduler (and clock) the graph's tasks run on.</param>
    /// <param name="options">Compile options; their clock is replaced by the scheduler's.</param>
    /// <returns>The test harness; dispose it.</returns>
    public static GraphTest<TState, TUpdate> Create<TState, TUpdate>(StateGraph<TState, TUpdate> graph, DeterministicScheduler scheduler, GraphCompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(scheduler);
        return new GraphTest<TState, TUpdate>(graph, scheduler, options ?? GraphCompileOptions.Default);
    }
}
