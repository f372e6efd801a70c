namespace Graph.Engine.FSharp

open System
open Graph.Engine.Checkpoints
open Graph.Engine.Graphs

/// A thread's state at one checkpoint (the engine's `StateSnapshot` as an F# record).
type Snapshot<'State> =
    { ThreadId: string
      CheckpointId: int64
      /// The checkpoint it follows (`None` for a thread's first).
      ParentCheckpointId: int64 option
      /// 0 for an input checkpoint.
      Step: int
      /// The state (LangGraph's `values`).
      State: 'State
      /// The nodes planned next, in planned order (empty: the thread has ended).
      Next: string list
      /// Planned tasks whose updates are recorded (they will not run again).
      CompletedTasks: string list
      /// Pending dynamic interrupts.
      Interrupts: Interrupt list
      /// Tasks of the shown step that failed, with their recorded errors (LangGraph's `tasks[i].error`); empty when
      /// none did.
      Errors: TaskError list
      /// Why the checkpoint was written (`Input`, `Loop`, `Update`, `Fork`).
      Source: CheckpointSource
      /// Nodes whose updates were reduced into it, in order.
      Writers: string list
      Properties: Map<string, string>
      CreatedAt: DateTimeOffset }

/// Converting snapshots.
[<RequireQualifiedAccess>]
module Snapshot =
    /// The F# record for an engine snapshot.
    let ofEngine (s: StateSnapshot<'State>) : Snapshot<'State> =
        { ThreadId = s.ThreadId
          CheckpointId = s.CheckpointId
          ParentCheckpointId = Option.ofNullable s.ParentCheckpointId
          Step = s.Step
          State = s.Values
          Next = List.ofSeq s.Next
          CompletedTasks = List.ofSeq s.CompletedTasks
          Interrupts = s.Interrupts |> Seq.map Interrupt.ofEngine |> List.ofSeq
          Errors = List.ofSeq s.Errors
          Source = s.Metadata.Source
          Writers = List.ofSeq s.Metadata.Writers
          Properties = s.Metadata.Properties |> Seq.map (fun (KeyValue(k, v)) -> k, v) |> Map.ofSeq
          CreatedAt = s.CreatedAt }
