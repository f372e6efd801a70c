using Graph.Engine.Workloads.Engine;
using Graph.Engine.Workloads.Baselines;
using Graph.Engine.Workloads.Measuring;
using Graph.Engine.Workloads.Peers;

namespace Graph.Engine.Workloads.Registry;

/// <summary>
/// Every workload of PERFORMANCE.md with its engine implementation, raw baselines, LangGraph.js figure and target.
/// </summary>
/// <remarks>
/// To add an engine workload: write one sealed class deriving from <see cref="Workload"/> (or
/// <see cref="IdleWorkload"/>) with <see cref="Workload.EngineImplementation"/> as its implementation,
/// and put its constructor in the <c>engine:</c> slot of its entry below.
/// </remarks>
public static class WorkloadRegistry
{
    private const string Lg = PeerFigure.LangGraphJs;

    /// <summary>Gets every workload, in the order of PERFORMANCE.md; each name of <see cref="WorkloadNames.All"/> exactly once.</summary>
    public static IReadOnlyList<WorkloadEntry> All { get; } =
    [
        Chain(1, engine: () => new EngineChain(1), new PeerFigure(Lg, 734, MeasureKind.PerRun), WorkloadTarget.AtMostMicroseconds(5)),
        Chain(10, engine: () => new EngineChain(10), new PeerFigure(Lg, 2_444, MeasureKind.PerRun), WorkloadTarget.AtMostTimesBaseline(1.25)),
        Chain(100, engine: () => new EngineChain(100), new PeerFigure(Lg, 24_593, MeasureKind.PerRun), WorkloadTarget.AtMostTimesBaseline(1.25)),
        new(
            WorkloadNames.Fanout10Join,
            "START -> src -> 10 parallel branches (each returns 1, summed) -> join -> END",
            Engine: () => new EngineFanoutJoin(),
            [() => new ActionBlockFanoutJoin(), () => new MafGraph(WorkloadNames.Fanout10Join)],
            new PeerFigure(Lg, 2_640, MeasureKind.PerRun),
            WorkloadTarget.AtMostMicroseconds(40)),
        new(
            WorkloadNames.MapReduce100,
            "START -> 100 Send tasks (item*2, summed) -> done -> END",
            Engine: () => new EngineMapReduce(),
            [() => new ActionBlockMapReduce(), () => new MafGraph(WorkloadNames.MapReduce100)],
            new PeerFigure(Lg, 19_851, MeasureKind.PerRun),
            WorkloadTarget.AtMostMicroseconds(300)),
        new(
            WorkloadNames.Chain10Checkpointed,
            "chain10 with the in-memory checkpointer, a new thread id per run (baselines: chain10 without checkpoints; the engine's chain10 keeping only each run's thread id and 32 B per checkpoint)",
            Engine: () => new EngineChainCheckpointed(sqlite: false),
            [() => new ActionBlockChain(10), () => new KeptChainFloor()],
            new PeerFigure(Lg, 3_688, MeasureKind.PerRun),
            WorkloadTarget.AtMostTimesEngine(WorkloadNames.Chain10, 1.5)),
        new(
            WorkloadNames.Chain10Sqlite,
            "chain10 with the SQLite checkpointer on a temp file, a new thread id per run (baselines: chain10 without checkpoints; the rows a run leaves in the file, committed by plain SQLite, one transaction per run)",
            Engine: () => new EngineChainCheckpointed(sqlite: true),
            [() => new ActionBlockChain(10), () => new SqliteRowsChain()],
            Target: WorkloadTarget.AtMostMicroseconds(100).And(WorkloadTarget.AtMostStatementsPerStep(10, stepsPerRun: 10))),
        new(
            WorkloadNames.Chain10X1000,
            "1000 chain10 runs started at once and awaited together (baseline: the fair hand-wired chain, bounded at the engine's mailbox capacity and handing on with SendAsync; the unbounded Post chain beside it)",
            Engine: () => new EngineChain(10, BaselineNames.ConcurrentRuns),
            [() => new ActionBlockBoundedChain(10, BaselineNames.ConcurrentRuns), () => new ActionBlockChain(10, BaselineNames.ConcurrentRuns), () => new MafGraph(WorkloadNames.Chain10X1000)],
            new PeerFigure(Lg, 282, MeasureKind.Throughput),
            WorkloadTarget.AtLeastBaselineThroughput()),
        new(
            WorkloadNames.Chain10X1000Callers,
            "chain10-x1000 started from one caller per core, each starting its share at once, as a server's request threads would (baselines as chain10-x1000's, started the same way)",
            Engine: () => new EngineChain(10, BaselineNames.ConcurrentRuns, callers: ConcurrentRounds.PerCore),
            [() => new ActionBlockBoundedChain(10, BaselineNames.ConcurrentRuns, ConcurrentRounds.PerCore), () => new ActionBlockChain(10, BaselineNames.ConcurrentRuns, ConcurrentRounds.PerCore), () => new MafGraph(WorkloadNames.Chain10X1000Callers)],
            Target: WorkloadTarget.AtLeastBaselineThroughput()),
        new(
            WorkloadNames.Hop,
            "one producer, one actor, 100k messages",
            Engine: () => new ActorHop(),
            [() => new ActionBlockHop(), () => new ChannelHop(), () => new MailboxHop(), () => new AkkaHop(), () => new ProtoHop()],
            Target: WorkloadTarget.AtMostBytesPerOperation(32)),
        new(
            WorkloadNames.PingPong,
            "request/reply between two actors; one run is one round trip",
            Engine: () => new ActorPingPong(),
            [() => new ActionBlockPingPong(), () => new ChannelPingPong(), () => new MailboxPingPong(), () => new AkkaPingPong(), () => new ProtoPingPong()]),
        new(
            WorkloadNames.Ask,
            "a caller outside any actor asks an actor and awaits its reply (n + 1); one run is one ask",
            Engine: () => new ActorAsk(),
            [() => new ActionBlockAsk(), () => new AkkaAsk(), () => new ProtoAsk()]),
        new(
            WorkloadNames.Pipeline4,
            "4 bounded actors in a row, 100k messages",
            Engine: () => new ActorPipeline4(),
            [() => new ActionBlockPipeline4(), () => new ChannelPipeline4(), () => new MailboxPipeline4(), () => new AkkaPipeline4(), () => new ProtoPipeline4()]),
        new(
            WorkloadNames.IdleActor,
            "retained bytes per idle actor, mailbox capacity 10,000",
            Engine: () => new ActorIdle(),
            [() => new ActionBlockIdle(), () => new ChannelIdle(), () => new MailboxIdle(), () => new AkkaIdle(), () => new ProtoIdle()],
            Target: WorkloadTarget.AtMostRetainedBytes(1536)),
    ];

    /// <summary>The chain10-postgres entry, against the server of <paramref name="connectionString"/> (not in <see cref="All"/>).</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <returns>The entry.</returns>
    public static WorkloadEntry Postgres(string connectionString) => new(
        WorkloadNames.Chain10Postgres,
        "chain10 with the PostgreSQL checkpointer (Async), a new thread id per run (baseline: chain10 without checkpoints)",
        Engine: () => new EngineChainPostgres(connectionString),
        [() => new ActionBlockChain(10)]);

    /// <summary>Finds the entry of a workload name.</summary>
    /// <param name="name">A workload name, case-insensitive.</param>
    /// <returns>The entry, or null when no workload has that name.</returns>
    public static WorkloadEntry? Find(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    private static WorkloadEntry Chain(int length, Func<Workload>? engine, PeerFigure peer, WorkloadTarget target) => new(
        BaselineNames.ChainName(length),
        $"linear chain of {length} node(s), each adds 1; one run at a time",
        engine,
        length == 10
            ? [() => new ActionBlockChain(10), () => new ActionBlockBoundedChain(10), () => new DirectAsyncChain(10), () => new ChannelChain(10), () => new MailboxChain(10), () => new MafGraph(WorkloadNames.Chain10)]
            : [() => new ActionBlockChain(length), () => new DirectAsyncChain(length)],
        peer,
        target);
}
