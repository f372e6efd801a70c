using Microsoft.Extensions.ObjectPool;

namespace Graph.Engine.Graphs;

/// <summary>
/// A run's working buffers: the step's tasks and their results, ids, recorded flags and resume values, the updates
/// to reduce, the nodes and sends triggered for the next step. Sized from the model (one flag per node, one slot
/// per task) and grown by a wide step; pooled per compiled graph (<see cref="Pool"/>), so a run that ends cleanly
/// without persistence hands them to the next.
/// </summary>
internal sealed class RunBuffers<TState, TUpdate>
{
    public RunBuffers(GraphModel<TState, TUpdate> model)
    {
        const int width = 1; // grown by the first wide step; the pool keeps the grown buffers
        Tasks = new(width);
        Updates = new(width);
        Triggered = new(width);
        IsTriggered = new bool[model.Nodes.Length];
        Results = new NodeResult<TUpdate>[width];
        TaskIds = new string[width];
        Done = new bool[width];
        ResumeValues = new IReadOnlyList<object?>?[width];
    }

    public List<PlannedTask<TState, TUpdate>> Tasks { get; }

    public List<NodeUpdate<TUpdate>> Updates { get; }

    public List<NodeDefinition<TState, TUpdate>> Triggered { get; }

    /// <summary>The sends of the next step; created by the first run that sends.</summary>
    public List<(NodeDefinition<TState, TUpdate> Node, Send Send)> Sends { get; } = [];

    public bool[] IsTriggered { get; }

    public NodeResult<TUpdate>[] Results { get; private set; }

    public string[] TaskIds { get; private set; }

    public bool[] Done { get; private set; }

    public IReadOnlyList<object?>?[] ResumeValues { get; private set; }

    /// <summary>Makes room for a step of <paramref name="count"/> tasks (results are not kept across a step).</summary>
    public void EnsureCapacity(int count)
    {
        if (Results.Length < count)
        {
            var size = Math.Max(count, Results.Length * 2);
            Results = new NodeResult<TUpdate>[size];
            var taskIds = TaskIds;
            var done = Done;
            var resumeValues = ResumeValues;
            Array.Resize(ref taskIds, size);
            Array.Resize(ref done, size);
            Array.Resize(ref resumeValues, size);
            (TaskIds, Done, ResumeValues) = (taskIds, done, resumeValues);
        }
    }

    /// <summary>The pool of one compiled graph's buffers, keeping enough for the runs a busy machine finishes at once.</summary>
    public sealed class Pool(GraphModel<TState, TUpdate> model)
    {
        private readonly DefaultObjectPool<RunBuffers<TState, TUpdate>> pool = new(new Policy(model), 16 * Environment.ProcessorCount);

        public RunBuffers<TState, TUpdate> Rent() => pool.Get();

        /// <summary>Takes back the buffers of a run that ended with no task running (cleared first: no state is kept alive).</summary>
        public void Return(RunBuffers<TState, TUpdate> buffers) => pool.Return(buffers);
    }

    private sealed class Policy(GraphModel<TState, TUpdate> model) : IPooledObjectPolicy<RunBuffers<TState, TUpdate>>
    {
        public RunBuffers<TState, TUpdate> Create() => new(model);

        public bool Return(RunBuffers<TState, TUpdate> obj)
        {
            obj.Tasks.Clear();
            obj.Updates.Clear();
            obj.Triggered.Clear();
            obj.Sends.Clear();
            Array.Clear(obj.IsTriggered);
            Array.Clear(obj.Results);
            Array.Clear(obj.TaskIds);
            Array.Clear(obj.Done);
            Array.Clear(obj.ResumeValues);
            return true;
        }
    }
}
