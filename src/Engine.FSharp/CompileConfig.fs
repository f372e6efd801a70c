namespace Graph.Engine.FSharp

open System
open Microsoft.Extensions.Logging
open Graph.Engine.Graphs

/// Graph-wide options (the engine's `GraphCompileOptions` as an F# record).
type CompileConfig =
    { /// Steps a run may execute (default 25); one more fails with `GraphRecursionLimitException`.
      StepLimit: int
      /// What a run does when a join can no longer fire (default `Fail`).
      JoinSkipped: JoinSkippedPolicy
      /// Runs in flight at once; more wait (default: no limit).
      MaxConcurrentRuns: int option
      /// The clock for timeouts and backoff (default: the system clock).
      TimeProvider: TimeProvider option
      /// Where warnings go.
      Logger: ILogger option }

/// Building graph-wide options.
[<RequireQualifiedAccess>]
module CompileConfig =
    /// The engine's defaults.
    let defaults =
        { StepLimit = GraphCompileOptions.DefaultStepLimit
          JoinSkipped = JoinSkippedPolicy.Fail
          MaxConcurrentRuns = None
          TimeProvider = None
          Logger = None }

    /// The engine's `GraphCompileOptions` for a config.
    let toCompileOptions (config: CompileConfig) =
        GraphCompileOptions(
            StepLimit = config.StepLimit,
            JoinSkipped = config.JoinSkipped,
            MaxConcurrentRuns = Option.toNullable config.MaxConcurrentRuns,
            TimeProvider = defaultArg config.TimeProvider TimeProvider.System,
            Logger = Option.toObj config.Logger
        )
