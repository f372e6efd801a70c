using BenchmarkDotNet.Attributes;
using Graph.Engine.Workloads.Baselines;
using Graph.Engine.Workloads.Engine;
using Graph.Engine.Workloads.Peers;

namespace Graph.Engine.Benchmarks;

/// <summary>hop: one producer, one consumer, 100k messages; times and bytes are per message.</summary>
[Config(typeof(QuickConfig))]
public class HopBenchmarks : HostedBenchmarks
{
    private readonly WorkloadHost engine = new(() => new ActorHop());
    private readonly WorkloadHost actionBlock = new(() => new ActionBlockHop());
    private readonly WorkloadHost channel = new(() => new ChannelHop());
    private readonly WorkloadHost mailbox = new(() => new MailboxHop());
    private readonly WorkloadHost akka = new(() => new AkkaHop());
    private readonly WorkloadHost proto = new(() => new ProtoHop());

    /// <inheritdoc/>
    protected override WorkloadHost[] Hosts => [engine, actionBlock, channel, mailbox, akka, proto];

    /// <summary>A bare ActionBlock.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = BaselineNames.Messages)]
    public ValueTask ActionBlock() => actionBlock.RunOnce();

    /// <summary>The engine's actors (<c>ActorRef.SendAsync</c>, bounded mailboxes).</summary>
    [Benchmark(OperationsPerInvoke = BaselineNames.Messages)]
    public ValueTask Engine() => engine.RunOnce();

    /// <summary>A bounded channel with one reader loop.</summary>
    [Benchmark(OperationsPerInvoke = BaselineNames.Messages)]
    public ValueTask Channel() => channel.RunOnce();

    /// <summary>An F# MailboxProcessor.</summary>
    [Benchmark(OperationsPerInvoke = BaselineNames.Messages)]
    public ValueTask MailboxProcessor() => mailbox.RunOnce();

    /// <summary>Akka.NET (unbounded mailbox, boxed messages).</summary>
    [Benchmark(OperationsPerInvoke = BaselineNames.Messages)]
    public ValueTask Akka() => akka.RunOnce();

    /// <summary>Proto.Actor (unbounded mailbox, boxed messages).</summary>
    [Benchmark(OperationsPerInvoke = BaselineNames.Messages)]
    public ValueTask Proto() => proto.RunOnce();
}

/// <summary>pingpong: request/reply between two actors; times and bytes are per round trip.</summary>
[Config(typeof(QuickConfig))]
public class PingPongBenchmarks : HostedBenchmarks
{
    private readonly WorkloadHost engine = new(() => new ActorPingPong());
    private readonly WorkloadHost actionBlock = new(() => new ActionBlockPingPong());
    private readonly WorkloadHost channel = new(() => new ChannelPingPong());
    private readonly WorkloadHost mailbox = new(() => new MailboxPingPong());
    private readonly WorkloadHost akka = new(() => new AkkaPingPong());
    private readonly WorkloadHost proto = new(() => new ProtoPingPong());

    /// <inheritdoc/>
    protected override WorkloadHost[] Hosts => [engine, actionBlock, channel, mailbox, akka, proto];

    /// <summary>Two ActionBlocks.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = BaselineNames.RoundTrips)]
    public ValueTask ActionBlock() => actionBlock.RunOnce();

    /// <summary>The engine's actors (<c>ActorRef.SendAsync</c>, bounded mailboxes).</summary>
    [Benchmark(OperationsPerInvoke = BaselineNames.RoundTrips)]
    public ValueTask Engine() => engine.RunOnce();

    /// <summary>Two channel reader loops.</summary>
    [Benchmark(OperationsPerInvoke = BaselineNames.RoundTrips)]
    public ValueTask Channel() => channel.RunOnce();

    /// <summary>Two F# MailboxProcessors.</summary>
    [Benchmark(OperationsPerInvoke = BaselineNames.RoundTrips)]
    public ValueTask MailboxProcessor() => mailbox.RunOnce();

    /// <summary>Akka.NET (unbounded mailbox, boxed messages).</summary>
    [Benchmark(OperationsPerInvoke = BaselineNames.RoundTrips)]
    public ValueTask Akka() => akka.RunOnce();

    /// <summary>Proto.Actor (unbounded mailbox, boxed messages).</summary>
    [Benchmark(OperationsPerInvoke = BaselineNames.RoundTrips)]
    public ValueTask Proto() => proto.RunOnce();
}

/// <summary>pipeline4: 4 bounded stages, 100k messages; times and bytes are per message (through all 4 stages).</summary>
[Config(typeof(QuickConfig))]
public class Pipeline4Benchmarks : HostedBenchmarks
{
    private readonly WorkloadHost engine = new(() => new ActorPipeline4());
    private readonly WorkloadHost actionBlock = new(() => new ActionBlockPipeline4());
    private readonly WorkloadHost channel = new(() => new ChannelPipeline4());
    private readonly WorkloadHost mailbox = new(() => new MailboxPipeline4());
    private readonly WorkloadHost akka = new(() => new AkkaPipeline4());
    private readonly WorkloadHost proto = new(() => new ProtoPipeline4());

    /// <inheritdoc/>
    protected override WorkloadHost[] Hosts => [engine, actionBlock, channel, mailbox, akka, proto];

    /// <summary>Four bounded ActionBlocks.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = BaselineNames.Messages)]
    public ValueTask ActionBlock() => actionBlock.RunOnce();

    /// <summary>The engine's actors (<c>ActorRef.SendAsync</c>, bounded mailboxes).</summary>
    [Benchmark(OperationsPerInvoke = BaselineNames.Messages)]
    public ValueTask Engine() => engine.RunOnce();

    /// <summary>Four bounded channels.</summary>
    [Benchmark(OperationsPerInvoke = BaselineNames.Messages)]
    public ValueTask Channel() => channel.RunOnce();

    /// <summary>Four (unbounded) F# MailboxProcessors.</summary>
    [Benchmark(OperationsPerInvoke = BaselineNames.Messages)]
    public ValueTask MailboxProcessor() => mailbox.RunOnce();

    /// <summary>Akka.NET (unbounded mailbox, boxed messages).</summary>
    [Benchmark(OperationsPerInvoke = BaselineNames.Messages)]
    public ValueTask Akka() => akka.RunOnce();

    /// <summary>Proto.Actor (unbounded mailbox, boxed messages).</summary>
    [Benchmark(OperationsPerInvoke = BaselineNames.Messages)]
    public ValueTask Proto() => proto.RunOnce();
}

/// <summary>
/// idle-actor: the allocation of creating one idle actor with capacity 10,000 (the memory diagnoser's
/// figure; <c>graph bench</c> reports retained bytes as well).
/// </summary>
[Config(typeof(QuickConfig))]
public class IdleActorBenchmarks
{
    private readonly ActionBlockIdle actionBlock = new();
    private readonly ChannelIdle channel = new();
    private readonly ActorIdle engine = new();
    private readonly AkkaIdle akka = new();
    private readonly ProtoIdle proto = new();

    /// <summary>Starts the peers' actor systems.</summary>
    [GlobalSetup]
    public void Setup()
    {
        akka.SetupAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        proto.SetupAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Creates and completes an idle ActionBlock.</summary>
    [Benchmark(Baseline = true)]
    public async Task ActionBlock() => await actionBlock.ReleaseAsync(await actionBlock.CreateIdleAsync(CancellationToken.None));

    /// <summary>Creates and completes a bounded channel with its parked reader loop.</summary>
    [Benchmark]
    public async Task Channel() => await channel.ReleaseAsync(await channel.CreateIdleAsync(CancellationToken.None));

    /// <summary>Spawns and stops an idle engine actor with a bounded mailbox of capacity 10,000.</summary>
    [Benchmark]
    public async Task Engine() => await engine.ReleaseAsync(await engine.CreateIdleAsync(CancellationToken.None));

    /// <summary>Spawns and stops an idle Akka.NET actor (default unbounded mailbox).</summary>
    [Benchmark]
    public async Task Akka() => await akka.ReleaseAsync(await akka.CreateIdleAsync(CancellationToken.None));

    /// <summary>Spawns and stops an idle Proto.Actor actor (default unbounded mailbox).</summary>
    [Benchmark]
    public async Task Proto() => await proto.ReleaseAsync(await proto.CreateIdleAsync(CancellationToken.None));

    /// <summary>Stops the engine's and the peers' actor systems.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        engine.TeardownAsync().AsTask().GetAwaiter().GetResult();
        akka.TeardownAsync().AsTask().GetAwaiter().GetResult();
        proto.TeardownAsync().AsTask().GetAwaiter().GetResult();
    }
}

/// <summary>ask: a caller outside any actor asks an actor and awaits its reply; times and bytes are per ask.</summary>
[Config(typeof(QuickConfig))]
public class AskBenchmarks : HostedBenchmarks
{
    private readonly WorkloadHost engine = new(() => new ActorAsk());
    private readonly WorkloadHost actionBlock = new(() => new ActionBlockAsk());
    private readonly WorkloadHost akka = new(() => new AkkaAsk());
    private readonly WorkloadHost proto = new(() => new ProtoAsk());

    /// <inheritdoc/>
    protected override WorkloadHost[] Hosts => [engine, actionBlock, akka, proto];

    /// <summary>A bare ActionBlock completing a TaskCompletionSource carried by the request.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = BaselineNames.Asks)]
    public ValueTask ActionBlock() => actionBlock.RunOnce();

    /// <summary>The engine's <c>AskAsync</c>.</summary>
    [Benchmark(OperationsPerInvoke = BaselineNames.Asks)]
    public ValueTask Engine() => engine.RunOnce();

    /// <summary>Akka.NET's <c>Ask</c> (a temporary actor per ask, boxed messages).</summary>
    [Benchmark(OperationsPerInvoke = BaselineNames.Asks)]
    public ValueTask Akka() => akka.RunOnce();

    /// <summary>Proto.Actor's <c>RequestAsync</c> (a future process per request, boxed messages).</summary>
    [Benchmark(OperationsPerInvoke = BaselineNames.Asks)]
    public ValueTask Proto() => proto.RunOnce();
}
