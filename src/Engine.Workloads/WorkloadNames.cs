namespace Graph.Engine.Workloads;

/// <summary>The workload names of PERFORMANCE.md, shared by every benchmark front end.</summary>
public static class WorkloadNames
{
    /// <summary>Linear chain of one node.</summary>
    public const string Chain1 = "chain1";
}
