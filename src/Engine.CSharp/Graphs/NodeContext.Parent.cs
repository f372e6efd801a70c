using System.Diagnostics.CodeAnalysis;

namespace Graph.Engine.Graphs;

/// <summary>The parent graph: commands to it, and the store its subgraphs inherit.</summary>
public readonly partial struct NodeContext
{
    /// <summary>The store of this task's run when it is durable (a thread id and a checkpointer), else null.</summary>
    internal Checkpoints.ICheckpointer? RunCheckpointer => run?.Checkpointer;

    /// <summary>The graph this subgraph task runs for <paramref name="child"/> (the run may hand a test's copy of it).</summary>
    internal CompiledGraph<TChildState, TChildUpdate> Subgraph<TChildState, TChildUpdate>(CompiledGraph<TChildState, TChildUpdate> child) =>
        run?.Subgraph(Node, child) ?? child;

    /// <summary>
    /// Hands <paramref name="command"/> to the parent graph, as LangGraph's <c>Command(graph=Command.PARENT)</c>: this
    /// child run stops here, and the subgraph node that runs it returns the command in the parent, whose reducer applies
    /// its update and whose planner follows its goto (nodes of the parent graph, or sends). The command's update type
    /// is the parent's. Throws <see cref="ParentCommandException"/>: let it propagate.
    /// </summary>
    /// <typeparam name="TParentUpdate">The parent graph's update type.</typeparam>
    /// <param name="command">The command for the parent.</param>
    /// <exception cref="ArgumentNullException"><paramref name="command"/> is null.</exception>
    /// <exception cref="ParentCommandException">Always: the run stops here.</exception>
    [DoesNotReturn]
    public void CommandParent<TParentUpdate>(Command<TParentUpdate> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        throw new ParentCommandException(Node, command, typeof(TParentUpdate));
    }
}
