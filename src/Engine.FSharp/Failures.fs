namespace Graph.Engine.FSharp

open Graph.Engine.Graphs

/// What a graph does with a node's failure after its retries (docs/control.md): error handlers per node and for
/// every node, and the branch-failure policy.
type FailureSpec<'State, 'Update> =
    { /// Per node: the handler of its failure (`onNodeError`, `onNodeErrorWith`).
      Handlers: Map<string, 'State -> NodeFailure -> NodeContext -> NodeResult<'Update>>
      /// The handler of every node without its own (`onAnyNodeError`).
      Default: ('State -> NodeFailure -> NodeContext -> NodeResult<'Update>) option
      /// `FailFast` (default) or `ContinueOthers`; `Collect` comes with `Collect`'s function.
      Policy: BranchFailurePolicy
      /// Under `Collect`: the update a failed task writes (`collectBranchFailures`).
      Collect: (NodeFailure -> 'Update) option }

/// What a join does with failed tasks of its sources (`joinWith`), instead of the graph's `branchFailures`.
[<RequireQualifiedAccess>]
type JoinFailures<'Update> =
    /// The graph's policy (`branchFailures`, `collectBranchFailures`): what `join` gives.
    | GraphPolicy
    /// The step fails at the first failed source (its other tasks are cancelled).
    | FailFast
    /// The other tasks finish, then the run fails with a `StepFailedException` naming each failed source.
    | ContinueOthers
    /// A failed source writes this function's update and the step goes on, so the join's target reads each
    /// source's result or error from the state.
    | Collect of (NodeFailure -> 'Update)

/// A join as the DSL recorded it.
type JoinSpec<'Update> =
    { /// The nodes that must all finish.
      Sources: string list
      /// The node that runs once after them.
      Target: string
      /// What the join does with its sources' failures.
      Failures: JoinFailures<'Update> }

/// Building failure specs.
[<RequireQualifiedAccess>]
module FailureSpec =
    /// No handlers, `FailFast`.
    let empty<'State, 'Update> : FailureSpec<'State, 'Update> =
        { Handlers = Map.empty
          Default = None
          Policy = BranchFailurePolicy.FailFast
          Collect = None }

    /// Applies the spec to an engine builder.
    let applyTo (graph: StateGraph<'State, 'Update>) (spec: FailureSpec<'State, 'Update>) =
        let handler (h: 'State -> NodeFailure -> NodeContext -> NodeResult<'Update>) =
            System.Func<'State, NodeFailure, NodeContext, NodeResult<'Update>>(fun s f ctx -> h s f ctx)

        for KeyValue(node, h) in spec.Handlers do
            graph.OnNodeError(node, handler h) |> ignore

        spec.Default |> Option.iter (fun h -> graph.OnAnyNodeError(handler h) |> ignore)

        match spec.Collect with
        | Some collect -> graph.CollectBranchFailures(System.Func<NodeFailure, 'Update>(collect)) |> ignore
        | None -> graph.SetBranchFailures(spec.Policy) |> ignore

    /// Adds a join with its failure policy to an engine builder.
    let addJoinTo (graph: StateGraph<'State, 'Update>) (join: JoinSpec<'Update>) =
        match join.Failures with
        | JoinFailures.GraphPolicy -> graph.AddJoin(join.Sources, join.Target)
        | JoinFailures.FailFast -> graph.AddJoin(join.Sources, join.Target, BranchFailurePolicy.FailFast)
        | JoinFailures.ContinueOthers -> graph.AddJoin(join.Sources, join.Target, BranchFailurePolicy.ContinueOthers)
        | JoinFailures.Collect collect -> graph.AddJoin(join.Sources, join.Target, System.Func<NodeFailure, 'Update>(collect))
        |> ignore
