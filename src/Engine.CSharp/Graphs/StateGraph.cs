namespace Graph.Engine.Graphs;

/// <summary>The reserved node names shared by every <see cref="StateGraph{TState, TUpdate}"/>.</summary>
public static class StateGraph
{
    /// <summary>The virtual entry node: edges from it choose the first step's tasks.</summary>
    public const string Start = "__start__";

    /// <summary>The virtual exit node: an edge to it ends that branch of the run.</summary>
    public const string End = "__end__";
}
