namespace Graph.Engine.Graphs;

/// <summary>
/// The planner's working lists between one step's end and the next step's tasks: the updates to reduce, and the
/// nodes and sends triggered for the next step. Planning a step usually runs on one thread without a pause, so each
/// thread keeps one scratch per graph type and lends it to the run it plans (<see cref="Rent"/>, given back once the
/// next step's tasks are built): a run holds none while its tasks run or wait. A planning that awaits an asynchronous
/// router keeps its scratch across the await and gives it back to the thread it finishes on (the lending thread makes
/// a new one meanwhile). The planner's one-task path (<c>GraphRun.SingleStep.cs</c>) needs none.
/// </summary>
/// <remarks>
/// A run that plans inside another's planning on the same thread (a reducer or router that starts a run) finds the
/// thread's scratch lent and gets a new one. A scratch is given back clean (the planner clears what it used); a
/// planning that throws keeps its scratch with its failed run.
/// </remarks>
internal sealed class StepScratch<TState, TUpdate>
{
    [ThreadStatic]
    private static StepScratch<TState, TUpdate>? idle;

    private StepScratch(int nodes)
    {
        IsTriggered = new bool[nodes];
    }

    /// <summary>The finished step's updates, in task order (filled and cleared by the planner).</summary>
    public List<NodeUpdate<TUpdate>> Updates { get; } = new(1);

    /// <summary>The nodes triggered for the next step, each once.</summary>
    public List<NodeDefinition<TState, TUpdate>> Triggered { get; } = new(1);

    /// <summary>Per node index: whether it is in <see cref="Triggered"/>. At least as long as the graph's nodes.</summary>
    public bool[] IsTriggered { get; private set; }

    /// <summary>The sends of the next step.</summary>
    public List<(NodeDefinition<TState, TUpdate> Node, Send Send)> Sends { get; } = [];

    /// <summary>The scratch <paramref name="held"/> by a run, lent to it first when it holds none (see <see cref="Rent"/>).</summary>
    public static StepScratch<TState, TUpdate> Lend(ref StepScratch<TState, TUpdate>? held, int nodes) => held ??= Rent(nodes);

    /// <summary>Lends the thread's idle scratch (or a new one) for planning a graph of <paramref name="nodes"/> nodes.</summary>
    private static StepScratch<TState, TUpdate> Rent(int nodes)
    {
        var scratch = idle;
        if (scratch is null)
        {
            return new StepScratch<TState, TUpdate>(nodes);
        }

        idle = null;
        if (scratch.IsTriggered.Length < nodes)
        {
            scratch.IsTriggered = new bool[nodes];
        }

        return scratch;
    }

    /// <summary>Gives the clean scratch <paramref name="held"/> by a run back to the calling thread; the run holds none after.</summary>
    public static void Return(ref StepScratch<TState, TUpdate>? held)
    {
        if (held is not null)
        {
            idle = held;
            held = null;
        }
    }
}
