namespace Graph.Engine.Workloads;

/// <summary>The workload names of PERFORMANCE.md, shared by every benchmark front end and by the JSON output.</summary>
public static class WorkloadNames
{
    /// <summary>Linear chain of one node, one invocation at a time.</summary>
    public const string Chain1 = "chain1";

    /// <summary>Linear chain of 10 nodes, each adding 1 to an int counter, one invocation at a time.</summary>
    public const string Chain10 = "chain10";

    /// <summary>Linear chain of 100 nodes, one invocation at a time.</summary>
    public const string Chain100 = "chain100";

    /// <summary>A source node fanning out to 10 parallel branches summed into one join node.</summary>
    public const string Fanout10Join = "fanout10-join";

    /// <summary>100 dynamic <c>Send</c> tasks, each returning item*2 into a summing reducer, then a <c>done</c> node.</summary>
    public const string MapReduce100 = "mapreduce100";

    /// <summary>chain10 with the in-memory checkpointer, a new thread id per run.</summary>
    public const string Chain10Checkpointed = "chain10-checkpointed";

    /// <summary>chain10 with the SQLite checkpointer on a temporary file, a new thread id per run.</summary>
    public const string Chain10Sqlite = "chain10-sqlite";

    /// <summary>1000 invocations of chain10 started at once and awaited together; reported in runs/s.</summary>
    public const string Chain10X1000 = "chain10-x1000";

    /// <summary>chain10-x1000 started from one caller per core, each starting its share at once; reported in runs/s.</summary>
    public const string Chain10X1000Callers = "chain10-x1000-callers";

    /// <summary>One producer, one actor, 100k messages; ns and bytes per message.</summary>
    public const string Hop = "hop";

    /// <summary>Request/reply between two actors; round-trip latency.</summary>
    public const string PingPong = "pingpong";

    /// <summary>A caller outside any actor asks an actor and awaits its reply; latency per ask.</summary>
    public const string Ask = "ask";

    /// <summary>4 bounded actors in a row, 100k messages; per-message cost with back-pressure.</summary>
    public const string Pipeline4 = "pipeline4";

    /// <summary>Retained bytes per idle actor with a mailbox capacity of 10,000.</summary>
    public const string IdleActor = "idle-actor";

    /// <summary>
    /// chain10 with the PostgreSQL checkpointer; measured only when a server is given (GRAPH_TEST_POSTGRES or
    /// <c>graph bench --pg</c>), so it is not in <see cref="All"/>.
    /// </summary>
    public const string Chain10Postgres = "chain10-postgres";

    /// <summary>Every workload name, in the order of PERFORMANCE.md.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Chain1, Chain10, Chain100, Fanout10Join, MapReduce100, Chain10Checkpointed, Chain10Sqlite, Chain10X1000,
        Chain10X1000Callers,
        Hop, PingPong, Ask, Pipeline4, IdleActor,
    ];
}
