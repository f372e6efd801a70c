namespace Graph.Engine.Graphs;

/// <summary>How a run that did not fail ended.</summary>
public enum GraphRunStatus
{
    /// <summary>The run reached its end; <see cref="GraphRunResult{TState}.State"/> is the final state.</summary>
    Completed,

    /// <summary>The run stopped at one or more interrupts; resume it with <c>ResumeAsync</c>.</summary>
    Interrupted,
}
