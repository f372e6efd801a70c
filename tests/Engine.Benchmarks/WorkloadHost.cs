using Graph.Engine.Workloads;

namespace Graph.Engine.Benchmarks;

/// <summary>Holds one set-up <see cref="Workload"/> for a benchmark class: the same code the <c>graph bench</c> command measures.</summary>
public sealed class WorkloadHost(Func<Workload> factory)
{
    private Workload? workload;

    /// <summary>Creates and sets up the workload (call from <c>[GlobalSetup]</c>).</summary>
    public void Setup()
    {
        workload = factory();
        workload.SetupAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Runs one iteration.</summary>
    public ValueTask RunOnce() => workload!.RunAsync(1, CancellationToken.None);

    /// <summary>Tears the workload down (call from <c>[GlobalCleanup]</c>).</summary>
    public void Cleanup() => workload?.TeardownAsync().AsTask().GetAwaiter().GetResult();
}
