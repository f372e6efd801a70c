namespace Graph.Engine.Workloads.Baselines;

/// <summary>The <see cref="Workload.Implementation"/> names of the raw baselines, and their shared settings.</summary>
public static class BaselineNames
{
    /// <summary>Hand-wired TPL Dataflow <c>ActionBlock</c>s.</summary>
    public const string ActionBlock = "ActionBlock";

    /// <summary>Hand-wired <c>ActionBlock</c>s bounded at the engine's mailbox capacity, handing on with <c>SendAsync</c>.</summary>
    public const string ActionBlockBounded = "ActionBlock bounded+SendAsync";

    /// <summary>Bounded <c>Channel&lt;T&gt;</c>s, one reader loop each.</summary>
    public const string Channel = "Channel";

    /// <summary>F#'s <c>MailboxProcessor</c>.</summary>
    public const string MailboxProcessor = "MailboxProcessor";

    /// <summary>The rows a chain10 run leaves in the SQLite store, inserted and committed by plain SQLite (<see cref="SqliteRowsChain"/>).</summary>
    public const string SqliteRows = "SQLite, the run's rows";

    /// <summary>The engine's chain10 keeping, with plain code, the least any in-memory store keeps of each run (<see cref="KeptChainFloor"/>).</summary>
    public const string KeptFloor = "chain10, its least kept";

    /// <summary>Plain async method calls, no actors at all.</summary>
    public const string DirectAsync = "direct async";

    /// <summary>The capacity of the bounded mailboxes of the hop, pingpong and pipeline4 baselines.</summary>
    public const int MailboxCapacity = 1_024;

    /// <summary>The mailbox capacity of the idle-actor workload.</summary>
    public const int IdleMailboxCapacity = 10_000;

    /// <summary>Messages sent by one iteration of hop and pipeline4.</summary>
    public const int Messages = 100_000;

    /// <summary>Round trips made by one iteration of pingpong.</summary>
    public const int RoundTrips = 1_000;

    /// <summary>Asks made one after another by one iteration of ask.</summary>
    public const int Asks = 1_000;

    /// <summary>Runs started at once by one iteration of chain10-x1000.</summary>
    public const int ConcurrentRuns = 1_000;

    /// <summary>Returns the chain workload name for a shape: chain1, chain10 or chain100 one run at a time, chain10-x1000 or chain10-x1000-callers.</summary>
    /// <param name="length">1, 10 or 100.</param>
    /// <param name="concurrentRuns">Runs started at once per iteration: 1, or <see cref="ConcurrentRuns"/>.</param>
    /// <param name="callers">Callers that start them (<see cref="Measuring.ConcurrentRounds"/>): 1, or more for chain10-x1000-callers.</param>
    /// <returns>The workload name.</returns>
    public static string ChainName(int length, int concurrentRuns, int callers) =>
        concurrentRuns == 1 ? ChainName(length) : callers > 1 ? WorkloadNames.Chain10X1000Callers : WorkloadNames.Chain10X1000;

    /// <summary>Returns the chain workload name for a length: chain1, chain10 or chain100.</summary>
    /// <param name="length">1, 10 or 100.</param>
    /// <returns>The workload name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is not 1, 10 or 100.</exception>
    public static string ChainName(int length) => length switch
    {
        1 => WorkloadNames.Chain1,
        10 => WorkloadNames.Chain10,
        100 => WorkloadNames.Chain100,
        _ => throw new ArgumentOutOfRangeException(nameof(length), length, "PERFORMANCE.md defines chains of 1, 10 and 100 nodes."),
    };
}
