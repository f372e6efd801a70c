using Graph.Engine.Checkpoints;
using Graph.Engine.Supervision;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Graph.Engine.Graphs;

/// <summary>Options fixed when a graph is compiled. Immutable; derive variants with <c>with</c>.</summary>
public sealed record GraphCompileOptions
{
    /// <summary>The default step limit: 25 supersteps (LangGraph's default <c>recursion_limit</c> of 25 allows 24, as it also counts the input step).</summary>
    public const int DefaultStepLimit = 25;

    /// <summary>
    /// The default <see cref="NodeSupervision"/>: one-for-one, unlimited restarts (a compiled graph serves many runs,
    /// so a broken factory fails the runs that need it and the node recovers when the factory does), with an
    /// exponential restart delay from 10 ms to 5 s.
    /// </summary>
    public static SupervisorOptions DefaultNodeSupervision { get; } = new()
    {
        MaxRestarts = int.MaxValue,
        RestartDelay = RestartDelay.Exponential(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(5)),
    };

    /// <summary>The default options.</summary>
    public static GraphCompileOptions Default { get; } = new();

    /// <summary>
    /// The maximum number of supersteps of one run; planning one more fails the run with <see cref="GraphRecursionLimitException"/>.
    /// One less than LangGraph's <c>recursion_limit</c> for the same graph (which also counts the input step).
    /// </summary>
    /// <value>Default 25.</value>
    public int StepLimit { get; init; } = DefaultStepLimit;

    /// <summary>What happens when a run ends with a join partially satisfied.</summary>
    /// <value>Default <see cref="JoinSkippedPolicy.Fail"/>.</value>
    public JoinSkippedPolicy JoinSkipped { get; init; } = JoinSkippedPolicy.Fail;

    /// <summary>The maximum number of runs of the compiled graph in flight at once; further runs wait. Null means no limit.</summary>
    /// <value>Default null.</value>
    public int? MaxConcurrentRuns { get; init; }

    /// <summary>
    /// How many tasks a delegate node (a function or worker) whose <see cref="NodeOptions.MaxParallelism"/> is
    /// <see cref="NodeOptions.Auto"/> runs at once, across all runs; or <see cref="NodeOptions.Unbounded"/> (its
    /// mailbox is the only bound).
    /// </summary>
    /// <value>Default 64.</value>
    public int MaxNodeParallelism { get; init; } = 64;

    /// <summary>
    /// The clock used for timeouts, retry delays and the step watchdog. A thread claiming a step's tasks runs them one
    /// after another and queues no thread-pool helper; the watchdog looks every millisecond of this clock while a step
    /// has unclaimed tasks and queues a helper for a run whose thread has been on it since its previous look. So a task
    /// that blocks its thread (no await) holds its unclaimed siblings back for one to two milliseconds of this clock
    /// (with a fake clock, until the test advances it), plus the time the thread pool takes to start the helper.
    /// </summary>
    /// <value>Default <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Where the graph logs run failures, retries, skipped joins and failed node-instance disposals (category <c>Graph.Engine.Graphs</c>), and the
    /// logging of the private actor system when <see cref="ActorSystem"/> is not set.
    /// </summary>
    /// <value>Default null: the <see cref="ActorSystem"/>'s logger factory when one is set, otherwise no logging.</value>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// The store of thread histories. Runs with a <see cref="RunOptions.ThreadId"/> save a checkpoint after every superstep
    /// and can be resumed, interrupted and inspected; runs without a thread id are not saved.
    /// </summary>
    /// <value>Default null (no persistence).</value>
    public ICheckpointer? Checkpointer { get; init; }

    /// <summary>Serializes states, updates, send arguments and interrupt values for the checkpointer.</summary>
    /// <value>Default <see cref="JsonCheckpointSerializer.Default"/>.</value>
    public ICheckpointSerializer Serializer { get; init; } = JsonCheckpointSerializer.Default;

    /// <summary>
    /// Where cacheable nodes (<see cref="NodeOptions.Cache"/>) keep their results: <see cref="InMemoryNodeCache"/>, or a
    /// durable one such as <c>SqliteNodeCache</c>. Required when a node has a <see cref="CachePolicy"/>.
    /// </summary>
    /// <value>Default null (no node is cached).</value>
    public INodeCache? NodeCache { get; init; }

    /// <summary>When checkpoints reach the store (see docs/checkpoints.md); overridable with <see cref="RunOptions.Durability"/>.</summary>
    /// <value>Default <see cref="CheckpointDurability.Async"/>.</value>
    public CheckpointDurability Durability { get; init; } = CheckpointDurability.Async;

    /// <summary>
    /// How threads written by a different graph (another fingerprint: nodes, edges, state or update type changed) are
    /// resumed: their state is migrated along the registered chain to this graph's state type. Null: such threads fail
    /// to resume with <see cref="GraphCompatibilityException"/> (docs/durability.md, "Versions of a graph").
    /// </summary>
    /// <value>Default null.</value>
    public StateMigrations? StateMigrations { get; init; }

    /// <summary>Nodes before which every run stops (a static interrupt); requires a checkpointer and a thread id.</summary>
    /// <value>Default empty.</value>
    public IReadOnlyList<string> InterruptBefore { get; init; } = [];

    /// <summary>Nodes after which every run stops (a static interrupt); requires a checkpointer and a thread id.</summary>
    /// <value>Default empty.</value>
    public IReadOnlyList<string> InterruptAfter { get; init; } = [];

    /// <summary>
    /// The actor system in which the node actors live (under <c>/system/graph-N</c>). When <see langword="null"/>,
    /// the compiled graph creates a private system and disposes it with the graph.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public Graph.Engine.Actors.ActorSystem? ActorSystem { get; init; }

    /// <summary>
    /// The supervisor of the node actors (see docs/graphs.md, "Node actors under supervision"). A node's task
    /// failures belong to its runs and never restart its actor; only an instance fault does (a factory node's factory
    /// threw or returned null): the actor is restarted in place with a fresh pool of instances, after the
    /// <see cref="SupervisorOptions.RestartDelay"/>, and its queued tasks wait. Restarts are published as
    /// <see cref="SupervisorEvent"/>s and counted in the supervisor metrics. The strategy must be
    /// <see cref="SupervisionStrategy.OneForOne"/> (the nodes are independent). When the intensity is exceeded, the
    /// supervisor stops every node actor and escalates as a top-level supervisor does (the actor system's completion
    /// faults); later tasks fail their runs.
    /// </summary>
    /// <value>Default <see cref="DefaultNodeSupervision"/>: never gives up, with backoff.</value>
    public SupervisorOptions NodeSupervision { get; init; } = DefaultNodeSupervision;

    /// <summary>Makes the graph's executor instead of the default actor executor (the testing kit's seam); null for the default.</summary>
    internal ITaskExecutorFactory? TaskExecutorFactory { get; init; }

    internal ILoggerFactory ResolveLoggerFactory() =>
        LoggerFactory ?? ActorSystem?.Options.LoggerFactory ?? NullLoggerFactory.Instance;

    internal IEnumerable<string> Validate()
    {
        if (StepLimit < 1)
        {
            yield return $"StepLimit must be at least 1 (was {StepLimit}).";
        }

        if (MaxConcurrentRuns is < 1)
        {
            yield return $"MaxConcurrentRuns must be at least 1 or null (was {MaxConcurrentRuns}).";
        }

        if (MaxNodeParallelism is 0 or < NodeOptions.Unbounded)
        {
            yield return $"MaxNodeParallelism must be positive or NodeOptions.Unbounded (was {MaxNodeParallelism}).";
        }

        if (Serializer is null)
        {
            yield return "Serializer must not be null.";
        }

        if (!Enum.IsDefined(Durability))
        {
            yield return $"Durability must be PerStepSync, Async or AtExit (was {(int)Durability}).";
        }

        if (NodeSupervision is null)
        {
            yield return "NodeSupervision must not be null (use GraphCompileOptions.DefaultNodeSupervision).";
        }
        else if (NodeSupervision.Strategy != SupervisionStrategy.OneForOne)
        {
            yield return $"NodeSupervision.Strategy must be OneForOne: the node actors are independent (was {NodeSupervision.Strategy}).";
        }

        if (InterruptBefore is null || InterruptAfter is null)
        {
            yield return "InterruptBefore and InterruptAfter must not be null (use an empty list).";
        }
    }
}
