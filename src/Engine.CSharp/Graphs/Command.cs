using System.Diagnostics;
using System.Text;

namespace Graph.Engine.Graphs;

/// <summary>
/// A node result that carries an optional update plus where to go next (nodes and/or sends).
/// The node's static edges are still followed; <see cref="Goto"/> adds to them.
/// </summary>
/// <typeparam name="TUpdate">The graph's update type.</typeparam>
[DebuggerDisplay("Command(HasUpdate = {HasUpdate}, Goto = {Goto})")]
public sealed class Command<TUpdate>
{
    /// <summary>Creates a command with an update and a goto route.</summary>
    /// <param name="update">The update to apply at the step barrier.</param>
    /// <param name="goto">The nodes and sends to run in the next step.</param>
    public Command(TUpdate update, Route @goto)
    {
        Update = update;
        HasUpdate = true;
        Goto = @goto;
    }

    private Command(Route @goto)
    {
        Update = default!;
        Goto = @goto;
    }

    /// <summary>Creates a command with no update, only a goto route.</summary>
    /// <param name="goto">The nodes and sends to run in the next step.</param>
    /// <returns>The command.</returns>
    public static Command<TUpdate> GotoOnly(Route @goto) => new(@goto);

    /// <summary>Whether the command carries an update.</summary>
    public bool HasUpdate { get; }

    /// <summary>The update (meaningful only when <see cref="HasUpdate"/> is true).</summary>
    public TUpdate Update { get; }

    /// <summary>The nodes and sends to run in the next step.</summary>
    public Route Goto { get; }

    /// <summary>"Command { Update = ..., Goto = ... }" with the update's contents.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        new StringBuilder("Command { ").Member(nameof(Update), HasUpdate ? Update : "none", first: true).Member(nameof(Goto), Goto.ToString()).Append(" }").ToString();
}
