namespace Graph.Engine.FSharp

open Graph.Engine.Graphs

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

    /// Hands `outcome` to the parent graph, as LangGraph's `Command(graph=Command.PARENT)`: this child run stops here,
    /// and the subgraph node running it returns the outcome in the parent, whose reducer applies its update and whose
    /// planner follows its goto (`Outcome.command update next`, `Outcome.goto next`; `Outcome.Update` only updates).
    /// `'ParentUpdate` is the parent graph's update type. It never returns: let the `ParentCommandException` it
    /// throws propagate (its result type fits any expression, e.g. a node's update).
    /// <exception cref="T:Graph.Engine.Graphs.ParentCommandException">Always: the run stops here.</exception>
    let commandParent<'ParentUpdate, 'T> (outcome: Outcome<'ParentUpdate>) (ctx: NodeContext) : 'T =
        let command =
            match outcome with
            | Outcome.Command(Some update, next) -> Command<'ParentUpdate>(update, Next.toRoute next)
            | Outcome.Command(None, next) -> Command<'ParentUpdate>.GotoOnly(Next.toRoute next)
            | Outcome.Update update -> Command<'ParentUpdate>(update, Route())
            | Outcome.NoUpdate -> Command<'ParentUpdate>.GotoOnly(Route())

        ctx.CommandParent command
        Unchecked.defaultof<'T>
