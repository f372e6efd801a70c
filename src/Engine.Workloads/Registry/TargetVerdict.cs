namespace Graph.Engine.Workloads.Registry;

/// <summary>Whether a measured workload meets its PERFORMANCE.md target.</summary>
public enum TargetVerdict
{
    /// <summary>The workload has no target.</summary>
    None,

    /// <summary>Something the target needs (usually the engine figure) was not measured.</summary>
    NotMeasured,

    /// <summary>The target is met.</summary>
    Met,

    /// <summary>The target is missed.</summary>
    Missed,
}
