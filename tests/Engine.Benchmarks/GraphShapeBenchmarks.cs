using BenchmarkDotNet.Attributes;
using Graph.Engine.Workloads.Baselines;

namespace Graph.Engine.Benchmarks;

/// <summary>fanout10-join, one run at a time. Add the engine's benchmark beside the baseline.</summary>
[Config(typeof(QuickConfig))]
public class FanoutJoinBenchmarks
{
    private readonly WorkloadHost actionBlock = new(() => new ActionBlockFanoutJoin());

    /// <summary>Builds every implementation.</summary>
    [GlobalSetup]
    public void Setup() => actionBlock.Setup();

    /// <summary>Stops every implementation.</summary>
    [GlobalCleanup]
    public void Cleanup() => actionBlock.Cleanup();

    /// <summary>Hand-wired ActionBlocks.</summary>
    [Benchmark(Baseline = true)]
    public ValueTask ActionBlock() => actionBlock.RunOnce();
}

/// <summary>mapreduce100, one run at a time. Add the engine's benchmark beside the baseline.</summary>
[Config(typeof(QuickConfig))]
public class MapReduceBenchmarks
{
    private readonly WorkloadHost actionBlock = new(() => new ActionBlockMapReduce());

    /// <summary>Builds every implementation.</summary>
    [GlobalSetup]
    public void Setup() => actionBlock.Setup();

    /// <summary>Stops every implementation.</summary>
    [GlobalCleanup]
    public void Cleanup() => actionBlock.Cleanup();

    /// <summary>Hand-wired ActionBlocks.</summary>
    [Benchmark(Baseline = true)]
    public ValueTask ActionBlock() => actionBlock.RunOnce();
}

/// <summary>chain10-x1000: one invocation starts 1000 runs and awaits them; the time is per run.</summary>
[Config(typeof(QuickConfig))]
public class ConcurrentChainBenchmarks
{
    private readonly WorkloadHost actionBlock = new(() => new ActionBlockChain(10, BaselineNames.ConcurrentRuns));

    /// <summary>Builds every implementation.</summary>
    [GlobalSetup]
    public void Setup() => actionBlock.Setup();

    /// <summary>Stops every implementation.</summary>
    [GlobalCleanup]
    public void Cleanup() => actionBlock.Cleanup();

    /// <summary>Hand-wired ActionBlocks, 1000 runs at once.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = BaselineNames.ConcurrentRuns)]
    public ValueTask ActionBlock() => actionBlock.RunOnce();
}
