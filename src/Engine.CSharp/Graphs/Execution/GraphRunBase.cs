namespace Graph.Engine.Graphs;

/// <summary>The non-generic face of a run, seen by <see cref="NodeContext"/>.</summary>
internal abstract class GraphRunBase
{
    private string? runId;

    protected GraphRunBase(string? runId, string? threadId)
    {
        this.runId = runId;
        ThreadId = threadId;
    }

    /// <summary>The run id; generated on first use when none was given.</summary>
    public string RunId
    {
        get
        {
            var id = Volatile.Read(ref runId);
            if (id is null)
            {
                Interlocked.CompareExchange(ref runId, RunIds.Next(), null);
                id = runId!;
            }

            return id;
        }
    }

    public string? ThreadId { get; }

    /// <summary>The run's cancellation token (see <see cref="NodeContext.CancellationToken"/>).</summary>
    public abstract CancellationToken RunToken { get; }

    /// <summary>The clock of the run's graph (<see cref="GraphCompileOptions.TimeProvider"/>), read by durable timers.</summary>
    public virtual TimeProvider Time => TimeProvider.System;

    public abstract void EmitCustom(string node, int step, int taskIndex, object? payload);

    /// <summary>Writes a custom event, then waits for room in the stream's buffer (see <see cref="NodeContext.EmitAsync"/>); without a bounded stream, <see cref="EmitCustom"/>.</summary>
    public virtual ValueTask EmitCustomAsync(string node, int step, int taskIndex, object? payload)
    {
        EmitCustom(node, step, taskIndex, payload);
        return default;
    }

    /// <summary>The sink a subgraph task's run writes its events to; null (the default) when nobody streams subgraph events.</summary>
    public virtual System.Threading.Channels.ChannelWriter<GraphEvent>? SubgraphEvents(int step, string taskId) => null;

    /// <summary>The store of a durable run (its subgraphs compiled without one inherit it); null (the default) otherwise.</summary>
    public virtual Checkpoints.ICheckpointer? Checkpointer => null;

    /// <summary>The graph a task of subgraph node <paramref name="node"/> runs: <paramref name="child"/> itself (the default), or a test harness's copy of it.</summary>
    public virtual CompiledGraph<TChildState, TChildUpdate> Subgraph<TChildState, TChildUpdate>(string node, CompiledGraph<TChildState, TChildUpdate> child) => child;

    /// <summary>Pushes back the idle deadline of the given attempt (see <see cref="NodeContext.Heartbeat"/>); ignored (the default) when it has none.</summary>
    public virtual void Heartbeat(int step, int taskIndex, int attempt)
    {
    }
}
