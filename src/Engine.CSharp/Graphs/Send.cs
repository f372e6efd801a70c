using System.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>
/// A dynamic task: run the worker node <see cref="Node"/> once with <see cref="Argument"/> as its input
/// (the map step of map-reduce). Sends are returned from routers (<see cref="Route.Sends(Send[])"/>) or commands.
/// </summary>
/// <param name="Node">The worker node to run.</param>
/// <param name="Argument">The worker's input.</param>
[DebuggerDisplay("Send {Node}({Argument})")]
public sealed record Send(string Node, object? Argument)
{
    /// <summary>Creates a send of <paramref name="argument"/> to the worker node <paramref name="node"/>.</summary>
    /// <typeparam name="T">The argument type; the worker must accept it.</typeparam>
    /// <param name="node">The worker node to run.</param>
    /// <param name="argument">The worker's input.</param>
    /// <returns>The send.</returns>
    public static Send To<T>(string node, T argument) => new(node, argument);
}
