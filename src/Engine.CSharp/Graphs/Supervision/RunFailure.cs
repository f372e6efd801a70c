using System.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>
/// The value of the interrupt a supervised run leaves when its restart intensity is exhausted
/// (<see cref="RunExhaustedAction.Interrupt"/>): which task failed, how, and after how many restarts. It is stored
/// with the thread, so it reads back in another process.
/// </summary>
/// <param name="Node">The node that failed.</param>
/// <param name="Step">The step it failed in.</param>
/// <param name="TaskId">The failed task's id (<see cref="NodeContext.TaskId"/>).</param>
/// <param name="Error">The failure: exception type and message.</param>
/// <param name="Restarts">The restarts made before giving up.</param>
[DebuggerDisplay("{Node,nq} failed in step {Step} after {Restarts} restarts")]
public sealed record RunFailure(string Node, int Step, string TaskId, string Error, int Restarts);
