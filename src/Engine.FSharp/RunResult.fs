namespace Graph.Engine.FSharp

open Graph.Engine.Graphs

/// How `GraphRun.run` / `GraphRun.resume` ended (the engine's `GraphRunResult`).
[<RequireQualifiedAccess>]
type RunResult<'State> =
    /// The run reached its end with `state`.
    | Completed of state: 'State * threadId: string option * checkpointId: int64 option
    /// The run stopped at `interrupts`; `state` is the last saved checkpoint's. Resume with `GraphRun.resume`.
    | Interrupted of state: 'State * interrupts: Interrupt list * threadId: string option * checkpointId: int64 option

/// Reading run results.
[<RequireQualifiedAccess>]
module RunResult =
    /// The F# result for an engine result.
    let ofEngine (r: GraphRunResult<'State>) : RunResult<'State> =
        let thread = Option.ofObj r.ThreadId
        let checkpoint = Option.ofNullable r.CheckpointId

        match r.Status with
        | GraphRunStatus.Interrupted ->
            RunResult.Interrupted(r.State, r.Interrupts |> Seq.map Interrupt.ofEngine |> List.ofSeq, thread, checkpoint)
        | _ -> RunResult.Completed(r.State, thread, checkpoint)

    /// The final state, or the interrupted run's saved state.
    let state (result: RunResult<'State>) =
        match result with
        | RunResult.Completed(s, _, _)
        | RunResult.Interrupted(s, _, _, _) -> s

    /// The pending interrupts (empty when completed).
    let interrupts (result: RunResult<'State>) =
        match result with
        | RunResult.Completed _ -> []
        | RunResult.Interrupted(_, i, _, _) -> i

    /// Whether the run stopped at an interrupt.
    let isInterrupted (result: RunResult<'State>) =
        match result with
        | RunResult.Interrupted _ -> true
        | RunResult.Completed _ -> false

    /// The thread's checkpoint the run ended at (`None` without a checkpointer or thread).
    let checkpointId (result: RunResult<'State>) =
        match result with
        | RunResult.Completed(_, _, c)
        | RunResult.Interrupted(_, _, _, c) -> c

    /// `Ok state` when completed, `Error interrupts` when interrupted.
    let toResult (result: RunResult<'State>) : Result<'State, Interrupt list> =
        match result with
        | RunResult.Completed(s, _, _) -> Ok s
        | RunResult.Interrupted(_, i, _, _) -> Error i
