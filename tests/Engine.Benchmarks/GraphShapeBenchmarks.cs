using BenchmarkDotNet.Attributes;
using Graph.Engine.Workloads.Baselines;
using Graph.Engine.Graphs;
using Graph.Engine.Workloads.Engine;

namespace Graph.Engine.Benchmarks;

/// <summary>fanout10-join, one run at a time (3 steps, 12 tasks).</summary>
[Config(typeof(QuickConfig))]
public class FanoutJoinBenchmarks
{
    private readonly WorkloadHost engine = new(() => new EngineFanoutJoin());
    private readonly WorkloadHost actionBlock = new(() => new ActionBlockFanoutJoin());

    /// <summary>Builds every implementation.</summary>
    [GlobalSetup]
    public void Setup()
    {
        engine.Setup();
        actionBlock.Setup();
    }

    /// <summary>Stops every implementation.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        engine.Cleanup();
        actionBlock.Cleanup();
    }

    /// <summary>The engine: src, 10 branches into a summing reducer, a join.</summary>
    [Benchmark]
    public ValueTask Engine() => engine.RunOnce();

    /// <summary>Hand-wired ActionBlocks.</summary>
    [Benchmark(Baseline = true)]
    public ValueTask ActionBlock() => actionBlock.RunOnce();
}

/// <summary>mapreduce100, one run at a time (2 steps, 101 tasks).</summary>
[Config(typeof(QuickConfig))]
public class MapReduceBenchmarks
{
    private readonly WorkloadHost engine = new(() => new EngineMapReduce());
    private readonly WorkloadHost engineUnbounded = new(() => new EngineMapReduce(new NodeOptions { MaxParallelism = NodeOptions.Unbounded }));
    private readonly WorkloadHost actionBlock = new(() => new ActionBlockMapReduce());

    /// <summary>Builds every implementation.</summary>
    [GlobalSetup]
    public void Setup()
    {
        engine.Setup();
        engineUnbounded.Setup();
        actionBlock.Setup();
    }

    /// <summary>Stops every implementation.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        engine.Cleanup();
        engineUnbounded.Cleanup();
        actionBlock.Cleanup();
    }

    /// <summary>The engine as registered: 100 Sends to a worker with the default parallelism of 1.</summary>
    [Benchmark]
    public ValueTask Engine() => engine.RunOnce();

    /// <summary>The engine with an unbounded worker (no per-node gate): the one-thing-varied experiment.</summary>
    [Benchmark]
    public ValueTask EngineUnboundedWorker() => engineUnbounded.RunOnce();

    /// <summary>Hand-wired ActionBlocks.</summary>
    [Benchmark(Baseline = true)]
    public ValueTask ActionBlock() => actionBlock.RunOnce();
}

/// <summary>chain10-x1000: one invocation starts 1000 runs and awaits them; the time is per run.</summary>
[Config(typeof(QuickConfig))]
public class ConcurrentChainBenchmarks
{
    private readonly WorkloadHost engine = new(() => new EngineChain(10, BaselineNames.ConcurrentRuns));
    private readonly WorkloadHost actionBlock = new(() => new ActionBlockChain(10, BaselineNames.ConcurrentRuns));

    /// <summary>Builds every implementation.</summary>
    [GlobalSetup]
    public void Setup()
    {
        engine.Setup();
        actionBlock.Setup();
    }

    /// <summary>Stops every implementation.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        engine.Cleanup();
        actionBlock.Cleanup();
    }

    /// <summary>The engine, 1000 <c>InvokeAsync</c> calls at once.</summary>
    [Benchmark(OperationsPerInvoke = BaselineNames.ConcurrentRuns)]
    public ValueTask Engine() => engine.RunOnce();

    /// <summary>Hand-wired ActionBlocks, 1000 runs at once.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = BaselineNames.ConcurrentRuns)]
    public ValueTask ActionBlock() => actionBlock.RunOnce();
}
