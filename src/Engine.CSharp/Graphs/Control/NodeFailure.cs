using System.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>A node's failure after its last attempt, as an error handler or a collecting join sees it.</summary>
/// <param name="Node">The failing node.</param>
/// <param name="Step">The step in which it failed.</param>
/// <param name="TaskId">The failing task's id (<see cref="NodeContext.TaskId"/>).</param>
/// <param name="Attempts">The number of attempts made.</param>
/// <param name="Error">The node's own exception (the one thrown by its last attempt).</param>
[DebuggerDisplay("{Node,nq} failed in step {Step}: {Error.Message,nq}")]
public sealed record NodeFailure(string Node, int Step, string TaskId, int Attempts, Exception Error)
{
    /// <summary>"Node 'x' failed in step N (ExceptionType: message)".</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"Node '{Node}' failed in step {Step} ({Error.GetType().Name}: {Error.Message})";

    internal static NodeFailure From(NodeFailedException failed, string taskId) =>
        new(failed.Node, failed.Step, taskId, failed.Attempts, failed.InnerException ?? failed);
}
