namespace Graph.Engine.FSharp

open System
open System.Threading
open Graph.Engine.Graphs

/// Per-run options (the engine's `RunOptions` plus the cancellation token).
type RunConfig =
    { /// The run's id (default: generated).
      RunId: string option
      /// The thread (conversation) the run belongs to.
      ThreadId: string option
      /// Fails the run with `TimeoutException` when it takes longer.
      Timeout: TimeSpan option
      /// Overrides the graph's step limit for this run.
      StepLimit: int option
      /// Cancels the run.
      CancellationToken: CancellationToken }

/// Building per-run options.
[<RequireQualifiedAccess>]
module RunConfig =
    /// No id, no thread, no timeout, the graph's step limit, not cancellable.
    let defaults =
        { RunId = None
          ThreadId = None
          Timeout = None
          StepLimit = None
          CancellationToken = CancellationToken.None }

    /// The engine's `RunOptions` for a config.
    let toRunOptions (config: RunConfig) =
        RunOptions(
            RunId = Option.toObj config.RunId,
            ThreadId = Option.toObj config.ThreadId,
            Timeout = Option.toNullable config.Timeout,
            StepLimit = Option.toNullable config.StepLimit
        )
