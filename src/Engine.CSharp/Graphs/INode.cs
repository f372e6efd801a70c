namespace Graph.Engine.Graphs;

/// <summary>
/// A node implemented as an object, registered through a factory
/// (<see cref="StateGraph{TState, TUpdate}.AddNode(string, Func{INode{TState, TUpdate}}, NodeOptions?)"/>).
/// The executor owns instances: it may create one per node and recreate it after a failure.
/// An instance that implements <see cref="IDisposable"/> or <see cref="IAsyncDisposable"/> is disposed when dropped.
/// </summary>
/// <typeparam name="TState">The graph's state type.</typeparam>
/// <typeparam name="TUpdate">The graph's update type.</typeparam>
public interface INode<TState, TUpdate>
{
    /// <summary>Runs the node once.</summary>
    /// <param name="state">The state as of the start of the step.</param>
    /// <param name="context">The task's context.</param>
    /// <returns>The update or command.</returns>
    ValueTask<NodeResult<TUpdate>> InvokeAsync(TState state, NodeContext context);
}
