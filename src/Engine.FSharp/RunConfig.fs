namespace Graph.Engine.FSharp

open System
open System.Threading
open Graph.Engine.Checkpoints
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
      /// Replaces the graph's `interruptBefore` list for this run.
      InterruptBefore: string list option
      /// Replaces the graph's `interruptAfter` list for this run.
      InterruptAfter: string list option
      /// Overrides the graph's `durability` for this run.
      Durability: CheckpointDurability option
      /// For `GraphRun.resumeWith`: the checkpoint to continue from (an older one is forked first: replay).
      CheckpointId: int64 option
      /// What the run does when its thread already has a run in flight in this process (double texting):
      /// `Reject` (default), `Enqueue`, `Interrupt` or `Rollback`.
      Multitask: MultitaskStrategy
      /// Asks this run to drain: once cancelled, a durable run stops at the next step boundary as
      /// `RunResult.Drained` (resumable); `GraphRun.drain` does it for every run of a graph.
      DrainToken: CancellationToken
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
          InterruptBefore = None
          InterruptAfter = None
          Durability = None
          CheckpointId = None
          Multitask = MultitaskStrategy.Reject
          DrainToken = CancellationToken.None
          CancellationToken = CancellationToken.None }

    /// The engine's `RunOptions` for a config.
    let toRunOptions (config: RunConfig) =
        RunOptions(
            RunId = Option.toObj config.RunId,
            ThreadId = Option.toObj config.ThreadId,
            Timeout = Option.toNullable config.Timeout,
            StepLimit = Option.toNullable config.StepLimit,
            InterruptBefore = (config.InterruptBefore |> Option.map Array.ofList |> Option.toObj),
            InterruptAfter = (config.InterruptAfter |> Option.map Array.ofList |> Option.toObj),
            Durability = Option.toNullable config.Durability,
            CheckpointId = Option.toNullable config.CheckpointId,
            MultitaskStrategy = config.Multitask,
            DrainToken = config.DrainToken
        )

    /// The defaults on thread `threadId` (what a checkpointed run needs).
    let thread (threadId: string) = { defaults with ThreadId = Some threadId }
