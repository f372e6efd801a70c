namespace Graph.Engine.Graphs;

/// <summary>
/// The current step's tasks and their results. A step of one task (most steps of most graphs) keeps both in fields
/// of the run; a wider step, and every step of a run with persistence (task ids, recorded flags, resume values),
/// uses the run's pooled <see cref="RunBuffers{TState, TUpdate}"/>, rented by the first such step. A run whose steps
/// all have one task never rents any.
/// </summary>
internal sealed partial class GraphRun<TState, TUpdate>
{
    private RunBuffers<TState, TUpdate>? buffers;
    private StepScratch<TState, TUpdate>? scratch;

    /// <summary>The node of a one-task step's task (when not <see cref="wide"/>); its step is the run's, its index 0.</summary>
    private NodeDefinition<TState, TUpdate>? singleNode;

    /// <summary>The send argument of a one-task step's task, or <see cref="NotSent"/> for a triggered node's task.</summary>
    private object? singleArgument;

    /// <summary>The result of a one-task step's task (when not <see cref="wide"/>).</summary>
    private NodeResult<TUpdate> singleResult;

    /// <summary>The number of tasks of the current step.</summary>
    private int taskCount;

    /// <summary>Whether the current step's tasks and results are in <see cref="Buffers"/> rather than in fields.</summary>
    private bool wide => taskCount > 1 || persistence is not null;

    /// <summary>The run's pooled buffers, rented on first use.</summary>
    private RunBuffers<TState, TUpdate> Buffers => buffers ??= model.Buffers.Rent();

    private List<NodeUpdate<TUpdate>> updates => StepScratch<TState, TUpdate>.Lend(ref scratch, model.Nodes.Length).Updates;

    private List<NodeDefinition<TState, TUpdate>> triggered => StepScratch<TState, TUpdate>.Lend(ref scratch, model.Nodes.Length).Triggered;

    private bool[] isTriggered => StepScratch<TState, TUpdate>.Lend(ref scratch, model.Nodes.Length).IsTriggered;

    private List<(NodeDefinition<TState, TUpdate> Node, Send Send)> sends => StepScratch<TState, TUpdate>.Lend(ref scratch, model.Nodes.Length).Sends;

    private string[] taskIds => Buffers.TaskIds;

    private bool[] done => Buffers.Done;

    private IReadOnlyList<object?>?[] resumeValues => Buffers.ResumeValues;

    /// <summary>Marks the one-task step's task as a triggered node's (not a send's, whose argument may be null).</summary>
    private static object NotSent { get; } = new();

    /// <summary>
    /// The current step's task at <paramref name="index"/>. A one-task step's task is built from two fields of the run
    /// (16 B instead of the task's 32): its step is the run's, which is set before the step is dispatched and moves only
    /// after the task reports.
    /// </summary>
    private PlannedTask<TState, TUpdate> TaskAt(int index) => wide ? buffers!.Tasks[index] : SingleTask();

    private PlannedTask<TState, TUpdate> SingleTask()
    {
        var argument = singleArgument;
        var isSend = !ReferenceEquals(argument, NotSent);
        return new(singleNode!, step, 0, isSend, isSend ? argument : null);
    }

    /// <summary>Makes <paramref name="node"/> (with a send's <paramref name="argument"/>, else <see cref="NotSent"/>) the one-task step's task.</summary>
    private void SetSingleTask(NodeDefinition<TState, TUpdate>? node, object? argument)
    {
        singleNode = node;
        singleArgument = argument;
    }

    /// <summary>The slot of the result of the current step's task at <paramref name="index"/>.</summary>
    private ref NodeResult<TUpdate> ResultAt(int index) => ref wide ? ref buffers!.Results[index] : ref singleResult;

    /// <summary>The node names of the current step's tasks, in order.</summary>
    private string[] TaskNames()
    {
        var names = new string[taskCount];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = TaskAt(i).Node.Name;
        }

        return names;
    }

    /// <summary>
    /// Makes <paramref name="count"/> the current step's task count and chooses where its tasks live: in the buffers
    /// (returned, cleared, for the caller to fill) for a wide step or with persistence; otherwise in fields (null returned).
    /// </summary>
    private List<PlannedTask<TState, TUpdate>>? BeginStepTasks(int count)
    {
        taskCount = count;
        SetSingleTask(null, null);
        if (!wide)
        {
            buffers?.Tasks.Clear(); // a wide step earlier in the run: its tasks (and their arguments) are not kept alive
            return null;
        }

        var list = Buffers.Tasks;
        list.Clear();
        Buffers.EnsureCapacity(count);
        return list;
    }

    /// <summary>Makes the current step's tasks (and their ids) those of step <paramref name="next"/>, from the triggered nodes and sends.</summary>
    private void BuildTasks(int next)
    {
        var triggeredNodes = triggered;
        var sent = sends;
        if (triggeredNodes.Count > 1)
        {
            triggeredNodes.Sort(static (a, b) => a.Rank.CompareTo(b.Rank));
        }

        var list = BeginStepTasks(triggeredNodes.Count + sent.Count);
        foreach (var node in triggeredNodes)
        {
            isTriggered[node.Index] = false;
            if (list is null)
            {
                SetSingleTask(node, NotSent);
            }
            else
            {
                list.Add(new PlannedTask<TState, TUpdate>(node, next, list.Count, false, null));
            }
        }

        triggeredNodes.Clear();
        foreach (var (node, send) in sent)
        {
            if (list is null)
            {
                SetSingleTask(node, send.Argument);
            }
            else
            {
                list.Add(new PlannedTask<TState, TUpdate>(node, next, list.Count, true, send.Argument));
            }
        }

        sent.Clear();
        StepScratch<TState, TUpdate>.Return(ref scratch); // clean: flags and lists cleared above, updates after the reduce
        if (persistence is not null)
        {
            Array.Clear(resumeValues, 0, taskCount); // resume values exist only with persistence
            var cache = persistence.Cache;
            for (var i = 0; i < taskCount; i++)
            {
                var task = TaskAt(i);
                taskIds[i] = task.IsSend ? TaskIdOf(next, i, task.Node.Name) : cache.Task(next, i, task.Node.Index, task.Node.Name).Record.TaskId;
            }
        }
    }

    /// <summary>Hands the buffers back to the graph's pool (a run that finished: every task has reported).</summary>
    private void ReturnBuffers()
    {
        if (buffers is { } rented)
        {
            buffers = null;
            model.Buffers.Return(rented);
        }
    }
}
