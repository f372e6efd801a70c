namespace Graph.Engine.FSharp

open Graph.Engine.Graphs

/// What a streamed run reports, as an F# union (the engine's `GraphEvent` subclasses).
[<RequireQualifiedAccess>]
type RunEvent<'State, 'Update> =
    /// A task of `node` started (task index `taskIndex` of `step`).
    | TaskStarted of step: int * node: string * taskIndex: int
    /// A node emitted a custom payload with `NodeContext.Emit`.
    | Custom of step: int * node: string * taskIndex: int * payload: obj option
    /// A task finished with its outcome.
    | TaskFinished of step: int * node: string * taskIndex: int * outcome: Outcome<'Update>
    /// A step's barrier reduced the state; `nodes` ran in it, in planned order.
    | StepFinished of step: int * nodes: string list * state: 'State
    /// A join can no longer fire in this run.
    | JoinSkipped of step: int * target: string * finished: string list * missing: string list
    /// The run ended with `state`.
    | RunFinished of step: int * state: 'State
    /// The run stopped at interrupts (the last event; the stream then ends without an exception).
    | Interrupted of step: int * checkpointId: int64 option * interrupts: Interrupt list
    /// A checkpoint was handed to the checkpointer.
    | CheckpointSaved of step: int * threadId: string * checkpointId: int64 * source: Graph.Engine.Checkpoints.CheckpointSource
    /// The run failed; the stream throws the exception next.
    | RunFailed of step: int * error: exn
    /// An engine event this version of the bindings does not know yet (e.g. from a newer engine).
    | Other of GraphEvent

/// Converting and inspecting run events.
[<RequireQualifiedAccess>]
module RunEvent =
    /// The F# event for an engine event.
    let ofGraphEvent (e: GraphEvent) : RunEvent<'State, 'Update> =
        match e with
        | :? TaskStartedEvent as t -> RunEvent.TaskStarted(t.Step, t.Node, t.TaskIndex)
        | :? CustomEvent as c -> RunEvent.Custom(c.Step, c.Node, c.TaskIndex, Option.ofObj c.Payload)
        | :? TaskFinishedEvent<'Update> as t -> RunEvent.TaskFinished(t.Step, t.Node, t.TaskIndex, Outcome.ofNodeResult t.Result)
        | :? StepFinishedEvent<'State> as s -> RunEvent.StepFinished(s.Step, List.ofSeq s.Nodes, s.State)
        | :? JoinSkippedEvent as j -> RunEvent.JoinSkipped(j.Step, j.Target, List.ofSeq j.FinishedSources, List.ofSeq j.MissingSources)
        | :? RunFinishedEvent<'State> as r -> RunEvent.RunFinished(r.Step, r.State)
        | :? InterruptedEvent as i ->
            RunEvent.Interrupted(i.Step, Option.ofNullable i.CheckpointId, i.Interrupts |> Seq.map Interrupt.ofEngine |> List.ofSeq)
        | :? CheckpointSavedEvent as c -> RunEvent.CheckpointSaved(c.Step, c.ThreadId, c.CheckpointId, c.Source)
        | :? RunFailedEvent as f -> RunEvent.RunFailed(f.Step, f.Exception)
        | other -> RunEvent.Other other

    /// The step an event belongs to (`None` for `Other`).
    let step (e: RunEvent<'State, 'Update>) =
        match e with
        | RunEvent.TaskStarted(step, _, _)
        | RunEvent.Custom(step, _, _, _)
        | RunEvent.TaskFinished(step, _, _, _)
        | RunEvent.StepFinished(step, _, _)
        | RunEvent.JoinSkipped(step, _, _, _)
        | RunEvent.RunFinished(step, _)
        | RunEvent.Interrupted(step, _, _)
        | RunEvent.CheckpointSaved(step, _, _, _)
        | RunEvent.RunFailed(step, _) -> Some step
        | RunEvent.Other _ -> None
