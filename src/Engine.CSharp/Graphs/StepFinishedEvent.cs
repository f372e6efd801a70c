using System.Text;

namespace Graph.Engine.Graphs;

/// <summary>A step's barrier passed: its updates were reduced into <paramref name="State"/>.</summary>
/// <typeparam name="TState">The graph's state type.</typeparam>
/// <param name="RunId">The run's id.</param>
/// <param name="Step">The superstep.</param>
/// <param name="State">The state after the step.</param>
/// <param name="Nodes">The step's tasks' nodes, in planned order.</param>
public sealed record StepFinishedEvent<TState>(string RunId, int Step, TState State, IReadOnlyList<string> Nodes)
    : GraphEvent(RunId, Step)
{
    /// <summary>Prints the members with their contents (see <see cref="ValueText"/>).</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>Whether anything was printed.</returns>
    protected override bool PrintMembers(StringBuilder builder)
    {
        base.PrintMembers(builder);
        builder.Member(nameof(State), State).Member(nameof(Nodes), ValueText.List(Nodes));
        return true;
    }
}
