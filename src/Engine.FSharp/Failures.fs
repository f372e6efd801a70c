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
