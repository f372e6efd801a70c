namespace Graph.Engine.Graphs;

/// <summary>What a run does when it ends while a join has seen some but not all of its sources.</summary>
public enum JoinSkippedPolicy
{
    /// <summary>Emit <see cref="JoinSkippedEvent"/> and fail the run with <see cref="JoinSkippedException"/> (the default).</summary>
    Fail = 0,

    /// <summary>Emit <see cref="JoinSkippedEvent"/> (and log a warning), then finish the run normally.</summary>
    Warn = 1,
}
