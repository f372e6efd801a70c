using System.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>
/// A dynamic task: run the node <see cref="Node"/> once with <see cref="Argument"/> as its input (the map step of
/// map-reduce), as LangGraph's <c>Send</c>. A worker (<c>AddWorker</c>) takes its declared argument type; any other node
/// takes a state, which that task reads instead of the run's state. Sends are returned from routers
/// (<see cref="Route.Sends(Send[])"/>) or commands; a wrong target or argument fails the run with
/// <see cref="InvalidRouteException"/>.
/// </summary>
/// <param name="Node">The node to run.</param>
/// <param name="Argument">The node's input: a worker's argument, or a state for any other node.</param>
[DebuggerDisplay("Send {Node}({Argument})")]
public sealed record Send(string Node, object? Argument)
{
    /// <summary>Creates a send of <paramref name="argument"/> to the node <paramref name="node"/>.</summary>
    /// <typeparam name="T">The argument type: the worker's argument type, or the state type for any other node.</typeparam>
    /// <param name="node">The node to run.</param>
    /// <param name="argument">The node's input: a worker's argument, or a state for any other node.</param>
    /// <returns>The send.</returns>
    public static Send To<T>(string node, T argument) => new(node, argument);
}
