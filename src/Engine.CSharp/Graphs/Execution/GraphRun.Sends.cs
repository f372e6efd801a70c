namespace Graph.Engine.Graphs;

/// <summary>
/// Sends to any node, as LangGraph's <c>Send(node, arg)</c>: a worker's task reads the argument; a state node's task
/// reads the argument as its state (a <typeparamref name="TState"/>) instead of the run's state.
/// </summary>
internal sealed partial class GraphRun<TState, TUpdate>
{
    /// <summary>The state a task reads: a send's argument for a sent state node, else the run's state.</summary>
    private TState InputOf(in PlannedTask<TState, TUpdate> task) => task.IsSend ? (TState)task.Argument! : state;

    private static InvalidRouteException UnknownSendTarget(string source, string target, IReadOnlyList<string>? declared)
    {
        var from = source == StateGraph.Start ? "START" : $"node '{source}'";
        return new InvalidRouteException(source, target, declared, $"The router or command of {from} sent to '{target}', which is not a node of this graph.");
    }

    private static InvalidRouteException WrongSendArgument(string source, NodeDefinition<TState, TUpdate> node, object? argument, IReadOnlyList<string>? declared)
    {
        var sent = argument?.GetType().Name ?? "null";
        var message = node.Kind == NodeKind.Worker
            ? $"Node '{source}' sent a {sent} to worker '{node.Name}', which expects {node.SendType.Name}."
            : $"Node '{source}' sent a {sent} to node '{node.Name}', which reads the state: send a {typeof(TState).Name} (its input for that task), or add '{node.Name}' with AddWorker to take another argument type.";
        return new InvalidRouteException(source, node.Name, declared, message);
    }
}
