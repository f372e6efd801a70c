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

/// F# functions over a node's `NodeContext`.
[<RequireQualifiedAccess>]
module NodeContext =
    /// Stops the task until the thread is resumed (a dynamic interrupt, LangGraph's `interrupt()`), showing
    /// `payload`; after `GraphRun.resumeValue threadId value`, the node runs again from its start and this call returns
    /// `value`. Let the exception it throws the first time (`NodeInterruptException`) propagate. Needs a
    /// `checkpointer` and a thread id. The n-th call in one node returns the n-th resume value.
    /// <exception cref="T:System.InvalidOperationException">No checkpointer or no thread id.</exception>
    /// <exception cref="T:System.InvalidCastException">The resume value is not a `'Resume`.</exception>
    let interrupt<'Resume> (payload: obj) (ctx: NodeContext) : 'Resume = ctx.Interrupt<'Resume>(payload)

    /// Waits until `wakeAt` durably: the first time the run ends as `RunResult.Waiting` (checkpointed); a resume
    /// before `wakeAt` runs nothing, one at or after it runs the node again from its start and this call returns.
    /// Needs a `checkpointer` and a thread id (docs/control.md).
    let sleepUntil (wakeAt: System.DateTimeOffset) (ctx: NodeContext) : unit = ctx.SleepUntil(wakeAt)

    /// `sleepUntil` now plus `delay` on the graph's `timeProvider`.
    let delay (delay: System.TimeSpan) (ctx: NodeContext) : unit = ctx.Delay(delay)
