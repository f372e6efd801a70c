namespace Graph.Engine.FSharp

open System
open System.Threading.Tasks
open Graph.Engine.Graphs

/// Making node bodies for `node name body`: `node "plan" (Node.func plan)`. The `...Ctx` forms also receive the
/// task's `NodeContext` (emit, interrupt, cancellation).
[<RequireQualifiedAccess>]
module Node =
    /// A node `'State -> 'Update`.
    let func (node: 'State -> 'Update) : NodeBody<'State, 'Update> = NodeBody.Func node

    /// A node `NodeContext -> 'State -> 'Update`.
    let funcCtx (node: NodeContext -> 'State -> 'Update) : NodeBody<'State, 'Update> = NodeBody.FuncCtx node

    /// A node `NodeContext -> 'State -> Task<'Update>`.
    let taskCtx (node: NodeContext -> 'State -> Task<'Update>) : NodeBody<'State, 'Update> = NodeBody.Task node

    /// A node `NodeContext -> 'State -> Async<'Update>` (cancelled with the task).
    let asyncCtx (node: NodeContext -> 'State -> Async<'Update>) : NodeBody<'State, 'Update> = NodeBody.Async node

    /// A node `NodeContext -> 'State -> Task<Outcome<'Update>>` (update, command or nothing) whose commands may only
    /// go to `destinations` (include `END` if it may end the run).
    let commandCtx (destinations: string list) (node: NodeFunc<'State, 'Update>) : NodeBody<'State, 'Update> =
        NodeBody.Command(destinations, node)

    /// A node `'State -> Outcome<'Update>` whose commands may only go to `destinations`.
    let command (destinations: string list) (node: 'State -> Outcome<'Update>) : NodeBody<'State, 'Update> =
        NodeBody.Command(destinations, (fun _ s -> Task.FromResult(node s)))

    /// A worker `NodeContext -> 'Arg -> Task<'Update>`, run once per `Next.Send` item.
    let workerCtx (worker: NodeContext -> 'Arg -> Task<'Update>) : NodeBody<'State, 'Update> =
        NodeBody.Worker
            { Kind = "worker"
              Detail = typeof<'Arg>.Name
              Add =
                fun g name o ->
                    g.AddWorker<'Arg>(name, Func<'Arg, NodeContext, ValueTask<'Update>>(fun a ctx -> ValueTask<'Update>(worker ctx a)), o)
                    |> ignore }

    /// A worker `'Arg -> 'Update`, run once per `Next.Send` item.
    let worker (worker: 'Arg -> 'Update) : NodeBody<'State, 'Update> =
        NodeBody.Worker
            { Kind = "worker"
              Detail = typeof<'Arg>.Name
              Add = fun g name o -> g.AddWorker<'Arg>(name, Func<'Arg, 'Update>(worker), o) |> ignore }

    /// A worker `'Arg -> Task<'Update>`.
    let workerTask (worker: 'Arg -> Task<'Update>) : NodeBody<'State, 'Update> = workerCtx (fun _ a -> worker a)

    /// A worker `'Arg -> Async<'Update>` (cancelled with the task).
    let workerAsync (worker: 'Arg -> Async<'Update>) : NodeBody<'State, 'Update> =
        workerCtx (fun ctx a -> Async.StartImmediateAsTask(worker a, ctx.CancellationToken))

    /// A compiled graph as a node: `input` maps the state to the child's input, `output` the child's final state to
    /// an update.
    let subgraph (child: CompiledGraph<'ChildState, 'ChildUpdate>) (input: 'State -> 'ChildState) (output: 'ChildState -> 'Update) : NodeBody<'State, 'Update> =
        NodeBody.Subgraph
            { Kind = "subgraph"
              Detail = typeof<'ChildState>.Name
              Add =
                fun g name o ->
                    g.AddSubgraph(name, child, Func<'State, 'ChildState>(input), Func<'ChildState, 'Update>(output), o)
                    |> ignore }

    /// The kind of a body: `func`, `task`, `async`, `command`, `worker of T` or `subgraph of T`.
    let kind (body: NodeBody<'State, 'Update>) =
        match body with
        | NodeBody.Func _
        | NodeBody.FuncCtx _ -> "func"
        | NodeBody.Task _ -> "task"
        | NodeBody.Async _ -> "async"
        | NodeBody.Command(destinations, _) -> $"""command to [{String.Join("; ", destinations)}]"""
        | NodeBody.Worker hidden
        | NodeBody.Subgraph hidden -> hidden.Description

    /// Adds the node to an engine builder with its options.
    let internal addTo (graph: StateGraph<'State, 'Update>) (options: NodeOptions) (spec: NodeSpec<'State, 'Update>) =
        let name = spec.Name

        match spec.Body with
        | NodeBody.Func f -> graph.AddNode(name, Func<'State, 'Update>(f), options) |> ignore
        | NodeBody.FuncCtx f -> graph.AddNode(name, Func<'State, NodeContext, 'Update>(fun s ctx -> f ctx s), options) |> ignore
        | NodeBody.Task f ->
            graph.AddNode(name, Func<'State, NodeContext, ValueTask<'Update>>(fun s ctx -> ValueTask<'Update>(f ctx s)), options)
            |> ignore
        | NodeBody.Async f ->
            let run =
                Func<'State, NodeContext, ValueTask<'Update>>(fun s ctx ->
                    ValueTask<'Update>(Async.StartImmediateAsTask(f ctx s, ctx.CancellationToken)))

            graph.AddNode(name, run, options) |> ignore
        | NodeBody.Command(_, f) ->
            let run =
                Func<'State, NodeContext, ValueTask<NodeResult<'Update>>>(fun s ctx ->
                    let t = f ctx s

                    if t.IsCompletedSuccessfully then
                        ValueTask<NodeResult<'Update>>(Outcome.toNodeResult t.Result)
                    else
                        ValueTask<NodeResult<'Update>>(
                            task {
                                let! outcome = t
                                return Outcome.toNodeResult outcome
                            }
                        ))

            graph.AddNode(name, run, options) |> ignore
        | NodeBody.Worker hidden
        | NodeBody.Subgraph hidden -> hidden.Add graph name options

    /// A node `'State -> Task<'Update>`.
    let task (node: 'State -> Task<'Update>) : NodeBody<'State, 'Update> = NodeBody.Task(fun _ s -> node s)

    /// A node `'State -> Async<'Update>` (cancelled with the task).
    let async (node: 'State -> Async<'Update>) : NodeBody<'State, 'Update> = NodeBody.Async(fun _ s -> node s)
