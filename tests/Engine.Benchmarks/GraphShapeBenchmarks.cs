using BenchmarkDotNet.Attributes;
using Graph.Engine.Workloads.Baselines;
using Graph.Engine.Workloads.Measuring;
using Graph.Engine.Graphs;
using Graph.Engine.Workloads.Engine;
using Graph.Engine.Workloads;
using Graph.Engine.Workloads.Peers;

namespace Graph.Engine.Benchmarks;

/// <summary>fanout10-join, one run at a time (3 steps, 12 tasks).</summary>
[Config(typeof(QuickConfig))]
public class FanoutJoinBenchmarks : HostedBenchmarks
{
    private readonly WorkloadHost engine = new(() => new EngineFanoutJoin());
    private readonly WorkloadHost actionBlock = new(() => new ActionBlockFanoutJoin());
    private readonly WorkloadHost maf = new(() => new MafGraph(WorkloadNames.Fanout10Join));

    /// <inheritdoc/>
    protected override WorkloadHost[] Hosts => [engine, actionBlock, maf];

    /// <summary>The engine: src, 10 branches into a summing reducer, a join.</summary>
    [Benchmark]
    public ValueTask Engine() => engine.RunOnce();

    /// <summary>Hand-wired ActionBlocks.</summary>
    [Benchmark(Baseline = true)]
    public ValueTask ActionBlock() => actionBlock.RunOnce();

    /// <summary>Microsoft Agent Framework Workflows: a fan-out edge and a fan-in barrier (see <see cref="MafWorkflows"/>).</summary>
    [Benchmark]
    public ValueTask MafWorkflows() => maf.RunOnce();
}

/// <summary>mapreduce100, one run at a time (2 steps, 101 tasks).</summary>
[Config(typeof(QuickConfig))]
public class MapReduceBenchmarks : HostedBenchmarks
{
    private readonly WorkloadHost engine = new(() => new EngineMapReduce());
    private readonly WorkloadHost engineUnbounded = new(() => new EngineMapReduce(new NodeOptions { MaxParallelism = NodeOptions.Unbounded }));
    private readonly WorkloadHost actionBlock = new(() => new ActionBlockMapReduce());
    private readonly WorkloadHost maf = new(() => new MafGraph(WorkloadNames.MapReduce100));

    /// <inheritdoc/>
    protected override WorkloadHost[] Hosts => [engine, engineUnbounded, actionBlock, maf];

    /// <summary>The engine as registered: 100 Sends to a worker with the default parallelism of 1.</summary>
    [Benchmark]
    public ValueTask Engine() => engine.RunOnce();

    /// <summary>The engine with an unbounded worker (no per-node gate): the one-thing-varied experiment.</summary>
    [Benchmark]
    public ValueTask EngineUnboundedWorker() => engineUnbounded.RunOnce();

    /// <summary>Hand-wired ActionBlocks.</summary>
    [Benchmark(Baseline = true)]
    public ValueTask ActionBlock() => actionBlock.RunOnce();

    /// <summary>Microsoft Agent Framework Workflows: 100 messages from a start executor (it has no dynamic Send).</summary>
    [Benchmark]
    public ValueTask MafWorkflows() => maf.RunOnce();
}

/// <summary>
/// chain10-x1000 (<see cref="Callers"/> 1: the benchmark's loop starts the 1000 runs) and chain10-x1000-callers
/// (<see cref="Callers"/> 0: one caller per core starts its share); the time is per run.
/// </summary>
[Config(typeof(QuickConfig))]
public class ConcurrentChainBenchmarks : HostedBenchmarks
{
    private readonly WorkloadHost engine;
    private readonly WorkloadHost actionBlock;
    private readonly WorkloadHost actionBlockBounded;
    private readonly WorkloadHost maf;

    /// <summary>Creates the hosts; each reads <see cref="Callers"/> when it is set up.</summary>
    public ConcurrentChainBenchmarks()
    {
        engine = new(() => new EngineChain(10, BaselineNames.ConcurrentRuns, callers: CallerCount));
        actionBlock = new(() => new ActionBlockChain(10, BaselineNames.ConcurrentRuns, CallerCount));
        actionBlockBounded = new(() => new ActionBlockBoundedChain(10, BaselineNames.ConcurrentRuns, CallerCount));
        maf = new(() => new MafGraph(CallerCount > 1 ? WorkloadNames.Chain10X1000Callers : WorkloadNames.Chain10X1000));
    }

    /// <summary>Gets or sets who starts the runs: 1 for the benchmark's loop, 0 for one caller per core.</summary>
    [Params(1, 0)]
    public int Callers { get; set; } = 1;

    /// <inheritdoc/>
    protected override WorkloadHost[] Hosts => [engine, actionBlock, actionBlockBounded, maf];

    private int CallerCount => Callers == 0 ? ConcurrentRounds.PerCore : Callers;

    /// <summary>The engine, 1000 <c>InvokeAsync</c> calls at once.</summary>
    [Benchmark(OperationsPerInvoke = BaselineNames.ConcurrentRuns)]
    public ValueTask Engine() => engine.RunOnce();

    /// <summary>Hand-wired ActionBlocks (unbounded, <c>Post</c>), 1000 runs at once: shown beside the fair baseline.</summary>
    [Benchmark(OperationsPerInvoke = BaselineNames.ConcurrentRuns)]
    public ValueTask ActionBlock() => actionBlock.RunOnce();

    /// <summary>Hand-wired ActionBlocks bounded at 1,000, handing on with <c>SendAsync</c>, 1000 runs at once: the fair baseline (the engine's mailboxes are bounded).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = BaselineNames.ConcurrentRuns)]
    public ValueTask ActionBlockBounded() => actionBlockBounded.RunOnce();

    /// <summary>Microsoft Agent Framework Workflows, 1000 concurrent runs of one workflow.</summary>
    [Benchmark(OperationsPerInvoke = BaselineNames.ConcurrentRuns)]
    public ValueTask MafWorkflows() => maf.RunOnce();
}

/// <summary>chain10, one run at a time: the engine beside the hand-wired baseline and Microsoft Agent Framework Workflows.</summary>
[Config(typeof(QuickConfig))]
public class MafChainBenchmarks : HostedBenchmarks
{
    private readonly WorkloadHost engine = new(() => new EngineChain(10));
    private readonly WorkloadHost actionBlock = new(() => new ActionBlockChain(10));
    private readonly WorkloadHost maf = new(() => new MafGraph(WorkloadNames.Chain10));

    /// <inheritdoc/>
    protected override WorkloadHost[] Hosts => [engine, actionBlock, maf];

    /// <summary>The engine: chain10.</summary>
    [Benchmark]
    public ValueTask Engine() => engine.RunOnce();

    /// <summary>Hand-wired ActionBlocks.</summary>
    [Benchmark(Baseline = true)]
    public ValueTask ActionBlock() => actionBlock.RunOnce();

    /// <summary>Microsoft Agent Framework Workflows: ten delegate executors in a row.</summary>
    [Benchmark]
    public ValueTask MafWorkflows() => maf.RunOnce();
}
