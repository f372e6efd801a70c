using BenchmarkDotNet.Attributes;
using Graph.Engine.Workloads.Baselines;
using Graph.Engine.Workloads.Engine;

namespace Graph.Engine.Benchmarks;

/// <summary>
/// chain1, chain10 and chain100, one run at a time: the engine's compiled graph beside the hand-wired baseline and the
/// other raw versions. One run is <see cref="Length"/> steps, so the engine's bytes per step is Allocated / Length.
/// </summary>
[Config(typeof(QuickConfig))]
public class ChainBenchmarks
{
    private WorkloadHost engine = null!;
    private WorkloadHost actionBlock = null!;
    private WorkloadHost directAsync = null!;
    private WorkloadHost channel = null!;
    private WorkloadHost mailbox = null!;

    /// <summary>Gets or sets the number of nodes.</summary>
    [Params(1, 10, 100)]
    public int Length { get; set; }

    /// <summary>Builds every implementation.</summary>
    [GlobalSetup]
    public void Setup()
    {
        engine = new WorkloadHost(() => new EngineChain(Length));
        actionBlock = new WorkloadHost(() => new ActionBlockChain(Length));
        directAsync = new WorkloadHost(() => new DirectAsyncChain(Length));
        channel = new WorkloadHost(() => new ChannelChain(Length));
        mailbox = new WorkloadHost(() => new MailboxChain(Length));
        foreach (var host in new[] { engine, actionBlock, directAsync, channel, mailbox })
        {
            host.Setup();
        }
    }

    /// <summary>Stops every implementation.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var host in new[] { engine, actionBlock, directAsync, channel, mailbox })
        {
            host.Cleanup();
        }
    }

    /// <summary>The engine: <c>CompiledGraph.InvokeAsync</c> on a chain of <see cref="Length"/> nodes.</summary>
    [Benchmark]
    public ValueTask Engine() => engine.RunOnce();

    /// <summary>Hand-wired ActionBlocks: the yardstick.</summary>
    [Benchmark(Baseline = true)]
    public ValueTask ActionBlock() => actionBlock.RunOnce();

    /// <summary>Plain async calls: the floor.</summary>
    [Benchmark]
    public ValueTask DirectAsync() => directAsync.RunOnce();

    /// <summary>Bounded channels with one reader loop each.</summary>
    [Benchmark]
    public ValueTask Channel() => channel.RunOnce();

    /// <summary>F# MailboxProcessors.</summary>
    [Benchmark]
    public ValueTask MailboxProcessor() => mailbox.RunOnce();
}
