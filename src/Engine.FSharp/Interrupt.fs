namespace Graph.Engine.FSharp

open Graph.Engine.Graphs

/// A pending interrupt (the engine's `GraphInterrupt` as an F# record).
type Interrupt =
    { /// Pass it to `Resumption.ById` (`<taskId>#<n>` for dynamic, `before:<taskId>` / `after:<taskId>` for static).
      Id: string
      /// The node that interrupted (or is about to run / has run, for static interrupts).
      Node: string
      /// The task (`step:index:node`).
      TaskId: string
      /// `Dynamic` (the node called `NodeContext.interrupt`), `Before`, `After` or `Timer` (`NodeContext.delay`).
      Kind: InterruptKind
      /// What the node showed (`None` for static interrupts and for a null or `None` payload).
      Value: obj option }

/// Reading interrupts.
[<RequireQualifiedAccess>]
module Interrupt =
    /// The F# record for an engine interrupt.
    let ofEngine (i: GraphInterrupt) : Interrupt =
        { Id = i.Id
          Node = i.Node
          TaskId = i.TaskId
          Kind = i.Kind
          Value = Option.ofObj i.Value }

    /// The interrupt's payload as a `'T`, if it is one.
    let valueAs<'T> (interrupt: Interrupt) : 'T option =
        match interrupt.Value with
        | Some(:? 'T as v) -> Some v
        | _ -> None
