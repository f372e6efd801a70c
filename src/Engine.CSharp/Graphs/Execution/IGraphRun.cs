using System.Threading.Channels;
using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>
/// The non-generic face of a run, seen by <see cref="NodeContext"/>: the engine's run, or the testing kit's isolated
/// one. An interface, not a base class, so the engine's run can be its own completion source.
/// </summary>
internal interface IGraphRun
{
    /// <summary>The run id (given, or generated on first use).</summary>
    string RunId { get; }

    /// <summary>The run's thread id, or null.</summary>
    string? ThreadId { get; }

    /// <summary>The run's cancellation token (see <see cref="NodeContext.CancellationToken"/>).</summary>
    CancellationToken RunToken { get; }

    /// <summary>The clock of the run's graph (<see cref="GraphCompileOptions.TimeProvider"/>), read by durable timers.</summary>
    TimeProvider Time => TimeProvider.System;

    /// <summary>Writes a custom event to the run's stream.</summary>
    void EmitCustom(string node, int step, int taskIndex, object? payload);

    /// <summary>Writes a custom event, then waits for room in the stream's buffer (see <see cref="NodeContext.EmitAsync"/>); without a bounded stream, <see cref="EmitCustom"/>.</summary>
    ValueTask EmitCustomAsync(string node, int step, int taskIndex, object? payload)
    {
        EmitCustom(node, step, taskIndex, payload);
        return default;
    }

    /// <summary>The sink a subgraph task's run writes its events to; null (the default) when nobody streams subgraph events.</summary>
    ChannelWriter<GraphEvent>? SubgraphEvents(int step, string taskId) => null;

    /// <summary>The store of a durable run (its subgraphs compiled without one inherit it); null (the default) otherwise.</summary>
    ICheckpointer? Checkpointer => null;

    /// <summary>The graph a task of subgraph node <paramref name="node"/> runs: <paramref name="child"/> itself (the default), or a test harness's copy of it.</summary>
    CompiledGraph<TChildState, TChildUpdate> Subgraph<TChildState, TChildUpdate>(string node, CompiledGraph<TChildState, TChildUpdate> child) => child;

    /// <summary>Pushes back the idle deadline of the given attempt (see <see cref="NodeContext.Heartbeat"/>); ignored (the default) when it has none.</summary>
    void Heartbeat(int step, int taskIndex, int attempt)
    {
    }
}
