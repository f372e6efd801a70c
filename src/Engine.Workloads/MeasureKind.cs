namespace Graph.Engine.Workloads;

/// <summary>What a workload reports, which decides the unit of its headline figure.</summary>
public enum MeasureKind
{
    /// <summary>One operation is one run, executed one at a time: reports us/run and bytes/run.</summary>
    PerRun,

    /// <summary>One operation is one run among many started at once: reports runs/s and bytes/run.</summary>
    Throughput,

    /// <summary>One operation is one message: reports ns/msg and bytes/msg.</summary>
    PerMessage,

    /// <summary>One operation is one idle instance: reports retained bytes/actor (and creation cost).</summary>
    IdleMemory,
}
