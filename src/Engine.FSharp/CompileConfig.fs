namespace Graph.Engine.FSharp

open System
open Microsoft.Extensions.Logging
open Graph.Engine.Checkpoints
open Graph.Engine.Graphs
open Graph.Engine.Supervision

/// Graph-wide options (the engine's `GraphCompileOptions` as an F# record).
type CompileConfig =
    { /// Steps a run may execute (default 25); one more fails with `GraphRecursionLimitException`.
      StepLimit: int
      /// What a run does when a join can no longer fire (default `Fail`).
      JoinSkipped: JoinSkippedPolicy
      /// Runs in flight at once; more wait (default: no limit).
      MaxConcurrentRuns: int option
      /// Tasks at once of a delegate node whose parallelism is `NodeOptions.Auto`, across runs (default 64;
      /// `NodeOptions.Unbounded`: only its mailbox bounds it).
      MaxNodeParallelism: int
      /// The clock for timeouts and backoff (default: the system clock).
      TimeProvider: TimeProvider option
      /// Where the graph logs failures, retries and skipped joins (default: the actor system's, or none).
      LoggerFactory: ILoggerFactory option
      /// The actor system the node actors live in, to share one between graphs (default: a private one per
      /// compiled graph); the graph does not dispose it.
      ActorSystem: Graph.Engine.Actors.ActorSystem option
      /// Where runs with a thread id save a checkpoint per step (default: none, nothing is saved).
      Checkpointer: ICheckpointer option
      /// How states, updates, `Send` items, interrupt and resume values are written (default `FSharpJson.serializer`,
      /// so F# records, unions and options round-trip).
      Serializer: ICheckpointSerializer
      /// When checkpoints are stored (default `Async`).
      Durability: CheckpointDurability
      /// How threads written by another version of the graph are resumed (default: none; such a resume fails with
      /// `GraphCompatibilityException`).
      StateMigrations: StateMigrations option
      /// Where cacheable nodes keep their results (default: none; `InMemoryNodeCache` or `SqliteNodeCache`).
      NodeCache: INodeCache option
      /// Nodes before which a run stops (static interrupts; need a checkpointer).
      InterruptBefore: string list
      /// Nodes after which a run stops.
      InterruptAfter: string list
      /// The supervisor of the node actors (default `GraphCompileOptions.DefaultNodeSupervision`: never gives up, with
      /// backoff); only a factory node's failing factory restarts a node actor, never a task's failure.
      NodeSupervision: SupervisorOptions }

/// Building graph-wide options.
[<RequireQualifiedAccess>]
module CompileConfig =
    /// The engine's defaults.
    let defaults =
        { StepLimit = GraphCompileOptions.DefaultStepLimit
          JoinSkipped = JoinSkippedPolicy.Fail
          MaxConcurrentRuns = None
          MaxNodeParallelism = GraphCompileOptions.Default.MaxNodeParallelism
          TimeProvider = None
          LoggerFactory = None
          ActorSystem = None
          Checkpointer = None
          Serializer = FSharpJson.serializer
          Durability = CheckpointDurability.Async
          StateMigrations = None
          NodeCache = None
          InterruptBefore = []
          InterruptAfter = []
          NodeSupervision = GraphCompileOptions.DefaultNodeSupervision }

    /// The engine's `GraphCompileOptions` for a config.
    let toCompileOptions (config: CompileConfig) =
        GraphCompileOptions(
            StepLimit = config.StepLimit,
            JoinSkipped = config.JoinSkipped,
            MaxConcurrentRuns = Option.toNullable config.MaxConcurrentRuns,
            MaxNodeParallelism = config.MaxNodeParallelism,
            TimeProvider = defaultArg config.TimeProvider TimeProvider.System,
            LoggerFactory = Option.toObj config.LoggerFactory,
            ActorSystem = Option.toObj config.ActorSystem,
            Checkpointer = Option.toObj config.Checkpointer,
            Serializer = config.Serializer,
            Durability = config.Durability,
            StateMigrations = Option.toObj config.StateMigrations,
            NodeCache = Option.toObj config.NodeCache,
            InterruptBefore = Array.ofList config.InterruptBefore,
            InterruptAfter = Array.ofList config.InterruptAfter,
            NodeSupervision = config.NodeSupervision
        )
