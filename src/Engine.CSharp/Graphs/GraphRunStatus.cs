namespace Graph.Engine.Graphs;

/// <summary>How a run that did not fail ended.</summary>
public enum GraphRunStatus
{
    /// <summary>The run reached its end; <see cref="GraphRunResult{TState}.State"/> is the final state.</summary>
    Completed,

    /// <summary>The run stopped at one or more interrupts; resume it with <c>ResumeAsync</c>.</summary>
    Interrupted,

    /// <summary>The run was asked to drain and stopped at a step boundary after its checkpoint; resume it with <c>ResumeAsync</c>.</summary>
    Drained,

    /// <summary>
    /// Every pending interrupt is a durable timer (<see cref="InterruptKind.Timer"/>): resume the thread at or after
    /// <see cref="GraphRunResult{TState}.WakeAt"/>; a resume before that changes nothing and returns this status again.
    /// </summary>
    Waiting,
}
