namespace Graph.Engine.Graphs;

/// <summary>
/// What a factory node's actor fails with when its factory threw or returned null (an instance fault), after the task
/// that needed the instance was reported to its run. Its supervisor restarts the actor with a fresh pool.
/// </summary>
internal sealed class NodeInstanceFaultException(string node, Exception cause)
    : Exception($"The factory of node '{node}' failed: {cause.Message} The node actor is restarted with fresh instances.", cause);
