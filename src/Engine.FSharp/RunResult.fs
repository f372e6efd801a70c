namespace Graph.Engine.FSharp

open System
open Graph.Engine.Graphs

/// How `GraphRun.run` / `GraphRun.resume` ended (the engine's `GraphRunResult`).
[<RequireQualifiedAccess>]
type RunResult<'State> =
    /// The run reached its end with `state`.
    | Completed of state: 'State * threadId: string option * checkpointId: int64 option
    /// The run stopped at `interrupts`; `state` is the last saved checkpoint's. Resume with `GraphRun.resume`.
    | Interrupted of state: 'State * interrupts: Interrupt list * threadId: string option * checkpointId: int64 option
    /// The run was drained at a step boundary (`GraphRun.drain`); resume it with `GraphRun.resume`.
    | Drained of state: 'State * threadId: string option * checkpointId: int64 option
    /// Every pending interrupt is a durable timer (`NodeContext.delay`); resume at or after `wakeAt`.
    | Waiting of state: 'State * wakeAt: DateTimeOffset * interrupts: Interrupt list * threadId: string option * checkpointId: int64 option

/// Reading run results.
[<RequireQualifiedAccess>]
module RunResult =
    /// The F# result for an engine result.
    let ofEngine (r: GraphRunResult<'State>) : RunResult<'State> =
        let thread = Option.ofObj r.ThreadId
        let checkpoint = Option.ofNullable r.CheckpointId
        let interrupts () = r.Interrupts |> Seq.map Interrupt.ofEngine |> List.ofSeq

        match r.Status with
        | GraphRunStatus.Interrupted -> RunResult.Interrupted(r.State, interrupts (), thread, checkpoint)
        | GraphRunStatus.Drained -> RunResult.Drained(r.State, thread, checkpoint)
        | GraphRunStatus.Waiting -> RunResult.Waiting(r.State, r.WakeAt.Value, interrupts (), thread, checkpoint)
        | _ -> RunResult.Completed(r.State, thread, checkpoint)

    /// The final state, or the stopped run's saved state.
    let state (result: RunResult<'State>) =
        match result with
        | RunResult.Completed(s, _, _)
        | RunResult.Interrupted(s, _, _, _)
        | RunResult.Drained(s, _, _)
        | RunResult.Waiting(s, _, _, _, _) -> s

    /// The pending interrupts (the timers of a waiting run; empty when completed or drained).
    let interrupts (result: RunResult<'State>) =
        match result with
        | RunResult.Completed _
        | RunResult.Drained _ -> []
        | RunResult.Interrupted(_, i, _, _)
        | RunResult.Waiting(_, _, i, _, _) -> i

    /// Whether the run stopped at an interrupt.
    let isInterrupted (result: RunResult<'State>) =
        match result with
        | RunResult.Interrupted _ -> true
        | RunResult.Completed _
        | RunResult.Drained _
        | RunResult.Waiting _ -> false

    /// The thread's checkpoint the run ended at (`None` without a checkpointer or thread).
    let checkpointId (result: RunResult<'State>) =
        match result with
        | RunResult.Completed(_, _, c)
        | RunResult.Interrupted(_, _, _, c)
        | RunResult.Drained(_, _, c)
        | RunResult.Waiting(_, _, _, _, c) -> c

    /// `Ok state` when completed, `Error interrupts` otherwise (empty for a drained run, the timers for a waiting one).
    let toResult (result: RunResult<'State>) : Result<'State, Interrupt list> =
        match result with
        | RunResult.Completed(s, _, _) -> Ok s
        | RunResult.Interrupted(_, i, _, _)
        | RunResult.Waiting(_, _, i, _, _) -> Error i
        | RunResult.Drained _ -> Error []
