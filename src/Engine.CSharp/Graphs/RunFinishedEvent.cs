using System.Text;

namespace Graph.Engine.Graphs;

/// <summary>The run reached its end; the last event of a successful stream.</summary>
/// <typeparam name="TState">The graph's state type.</typeparam>
/// <param name="RunId">The run's id.</param>
/// <param name="Step">The last superstep.</param>
/// <param name="State">The final state.</param>
public sealed record RunFinishedEvent<TState>(string RunId, int Step, TState State) : GraphEvent(RunId, Step)
{
    /// <summary>Prints the members with their contents (see <see cref="ValueText"/>).</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>Whether anything was printed.</returns>
    protected override bool PrintMembers(StringBuilder builder)
    {
        base.PrintMembers(builder);
        builder.Member(nameof(State), State);
        return true;
    }
}
