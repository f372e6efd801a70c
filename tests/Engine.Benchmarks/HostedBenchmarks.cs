using BenchmarkDotNet.Attributes;

namespace Graph.Engine.Benchmarks;

/// <summary>
/// A benchmark class over a set of <see cref="WorkloadHost"/>s (the engine and its baselines): sets them all up before
/// the benchmarks and stops them all after.
/// </summary>
public abstract class HostedBenchmarks
{
    /// <summary>The workloads this class measures, in the order they are set up.</summary>
    protected abstract WorkloadHost[] Hosts { get; }

    /// <summary>Builds every implementation.</summary>
    [GlobalSetup]
    public void Setup()
    {
        foreach (var host in Hosts)
        {
            host.Setup();
        }
    }

    /// <summary>Stops every implementation.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var host in Hosts)
        {
            host.Cleanup();
        }
    }
}
