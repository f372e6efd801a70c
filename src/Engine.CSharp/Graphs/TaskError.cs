using System.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>A planned task that failed in the step a snapshot shows (LangGraph's <c>StateSnapshot.tasks[i].error</c>).</summary>
/// <param name="TaskId">The failed task's id.</param>
/// <param name="Node">Its node.</param>
/// <param name="Error">The recorded error: the exception's type and message.</param>
[DebuggerDisplay("{Node,nq}: {Error,nq}")]
public sealed record TaskError(string TaskId, string Node, string Error);
