using System.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>One task of a step, as handed to an <see cref="ITaskExecutor{TState, TUpdate}"/>. A small immutable value.</summary>
[DebuggerDisplay("{Node.Name,nq} step {Step} task {Index}")]
internal readonly struct PlannedTask<TState, TUpdate>
{
    public PlannedTask(NodeDefinition<TState, TUpdate> node, int step, int index, bool isSend, object? argument)
    {
        Node = node;
        Step = step;
        Index = index;
        IsSend = isSend;
        Argument = argument;
    }

    /// <summary>The node to run (its <see cref="NodeDefinition{TState, TUpdate}.Index"/> identifies its actor).</summary>
    public NodeDefinition<TState, TUpdate> Node { get; }

    /// <summary>The superstep (1-based).</summary>
    public int Step { get; }

    /// <summary>The task's position in the step's planned order; pass it back to <see cref="GraphRun{TState, TUpdate}.OnTaskCompleted"/>.</summary>
    public int Index { get; }

    /// <summary>Whether the task comes from a <see cref="Send"/>.</summary>
    public bool IsSend { get; }

    /// <summary>The send argument (worker nodes).</summary>
    public object? Argument { get; }
}
