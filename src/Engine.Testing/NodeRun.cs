using Graph.Engine.Graphs;

namespace Graph.Engine.Testing;

/// <summary>What a node returned when run on its own, and the custom events it emitted.</summary>
/// <typeparam name="TUpdate">The update type.</typeparam>
/// <param name="Result">The node's result (an update, a command or nothing).</param>
/// <param name="Emitted">The payloads of its <c>ctx.Emit</c> calls, in order.</param>
public sealed record NodeRun<TUpdate>(NodeResult<TUpdate> Result, IReadOnlyList<object?> Emitted)
{
    /// <summary>The update (the command's update for a command).</summary>
    /// <exception cref="InvalidOperationException">The node returned no update.</exception>
    public TUpdate Update => Result.HasUpdate ? Result.Update : throw new InvalidOperationException($"The node returned no update ({Result}).");
}
