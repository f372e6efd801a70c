namespace Graph.Engine.FSharp

open System
open System.Collections.Generic
open System.Threading.Tasks
open Microsoft.Extensions.Logging
open Graph.Engine.Graphs

/// The `stateGraph { ... }` computation expression: a graph as configuration (Farmer style). `Yield` starts
/// from `GraphDefinition.empty`; every operation returns `{ definition with ... }`. Nothing runs until
/// `Graph.compile`.
type StateGraphBuilder() =
    member _.Yield(_: unit) : GraphDefinition<'State, 'Update> = GraphDefinition.empty

    /// `reducer f`: folds each update into the state, in planned order.
    [<CustomOperation("reducer")>]
    member _.Reducer(d: GraphDefinition<'State, 'Update>, reducer: 'State -> 'Update -> 'State) =
        { d with Reducer = Some(ReducerSpec.PerUpdate reducer) }

    /// `stepReducer f`: receives each step's updates as one list in planned order (also an empty one).
    [<CustomOperation("stepReducer")>]
    member _.StepReducer(d: GraphDefinition<'State, 'Update>, reducer: 'State -> NodeUpdate<'Update> list -> 'State) =
        let batch = Func<'State, IReadOnlyList<NodeUpdate<'Update>>, 'State>(fun s updates -> reducer s (List.ofSeq updates))
        { d with Reducer = Some(ReducerSpec.PerStep batch) }

    /// `keyedState schema`: LangGraph-style keyed state reduced by the schema.
    [<CustomOperation("keyedState")>]
    member _.KeyedState(d: GraphDefinition<KeyedState, KeyedUpdate>, schema: KeyedStateSchema) =
        let batch = Func<KeyedState, IReadOnlyList<NodeUpdate<KeyedUpdate>>, KeyedState>(fun s u -> schema.Reduce(s, u))
        { d with Reducer = Some(ReducerSpec.PerStep batch) }

    /// `node name f`: a node `'State -> 'Update`.
    [<CustomOperation("node")>]
    member _.Node(d: GraphDefinition<'State, 'Update>, name: string, node: 'State -> 'Update) =
        d
        |> GraphDefinition.addNode name (fun g o -> g.AddNode(name, Func<'State, 'Update>(node), o) |> ignore)

    /// `nodeTask name f`: a node `'State -> Task<'Update>`.
    [<CustomOperation("nodeTask")>]
    member _.NodeTask(d: GraphDefinition<'State, 'Update>, name: string, node: 'State -> Task<'Update>) =
        d
        |> GraphDefinition.addNode name (fun g o ->
            g.AddNode(name, Func<'State, NodeContext, ValueTask<'Update>>(fun s _ -> ValueTask<'Update>(node s)), o)
            |> ignore)

    /// `nodeAsync name f`: a node `'State -> Async<'Update>` (cancelled with the task).
    [<CustomOperation("nodeAsync")>]
    member _.NodeAsync(d: GraphDefinition<'State, 'Update>, name: string, node: 'State -> Async<'Update>) =
        d
        |> GraphDefinition.addNode name (fun g o ->
            g.AddNode(
                name,
                Func<'State, NodeContext, ValueTask<'Update>>(fun s ctx ->
                    ValueTask<'Update>(Async.StartImmediateAsTask(node s, ctx.CancellationToken))),
                o
            )
            |> ignore)

    /// `nodeWith name f`: a node `NodeContext -> 'State -> 'Update`.
    [<CustomOperation("nodeWith")>]
    member _.NodeWith(d: GraphDefinition<'State, 'Update>, name: string, node: NodeContext -> 'State -> 'Update) =
        d
        |> GraphDefinition.addNode name (fun g o ->
            g.AddNode(name, Func<'State, NodeContext, 'Update>(fun s ctx -> node ctx s), o) |> ignore)

    /// `nodeTaskWith name f`: a node `NodeContext -> 'State -> Task<'Update>`.
    [<CustomOperation("nodeTaskWith")>]
    member _.NodeTaskWith(d: GraphDefinition<'State, 'Update>, name: string, node: NodeContext -> 'State -> Task<'Update>) =
        d
        |> GraphDefinition.addNode name (fun g o ->
            g.AddNode(name, Func<'State, NodeContext, ValueTask<'Update>>(fun s ctx -> ValueTask<'Update>(node ctx s)), o)
            |> ignore)

    /// `nodeAsyncWith name f`: a node `NodeContext -> 'State -> Async<'Update>`.
    [<CustomOperation("nodeAsyncWith")>]
    member _.NodeAsyncWith(d: GraphDefinition<'State, 'Update>, name: string, node: NodeContext -> 'State -> Async<'Update>) =
        d
        |> GraphDefinition.addNode name (fun g o ->
            g.AddNode(
                name,
                Func<'State, NodeContext, ValueTask<'Update>>(fun s ctx ->
                    ValueTask<'Update>(Async.StartImmediateAsTask(node ctx s, ctx.CancellationToken))),
                o
            )
            |> ignore)

    /// `command name destinations f`: a node returning an `Outcome` (update, command or nothing); its commands
    /// may only go to `destinations` (include `END` if it may end the run).
    [<CustomOperation("command")>]
    member this.Command(d: GraphDefinition<'State, 'Update>, name: string, destinations: string list, node: 'State -> Outcome<'Update>) =
        this.CommandTask(d, name, destinations, (fun _ s -> Task.FromResult(node s)))

    /// `commandTask name destinations f`: the general node, `NodeContext -> 'State -> Task<Outcome<'Update>>`.
    [<CustomOperation("commandTask")>]
    member _.CommandTask(d: GraphDefinition<'State, 'Update>, name: string, destinations: string list, node: NodeFunc<'State, 'Update>) =
        d
        |> GraphDefinition.addNode name (fun g o ->
            let run =
                Func<'State, NodeContext, ValueTask<NodeResult<'Update>>>(fun s ctx ->
                    let t = node ctx s
                    if t.IsCompletedSuccessfully then
                        ValueTask<NodeResult<'Update>>(Outcome.toNodeResult t.Result)
                    else
                        ValueTask<NodeResult<'Update>>(task {
                            let! outcome = t
                            return Outcome.toNodeResult outcome
                        }))

            g.AddNode(name, run, o) |> ignore)
        |> GraphDefinition.configure name (fun c -> { c with Destinations = Some destinations })

    /// `worker name f`: a worker `'Arg -> 'Update`, run once per `Next.Send` item.
    [<CustomOperation("worker")>]
    member _.Worker(d: GraphDefinition<'State, 'Update>, name: string, worker: 'Arg -> 'Update) =
        d
        |> GraphDefinition.addNode name (fun g o -> g.AddWorker<'Arg>(name, Func<'Arg, 'Update>(worker), o) |> ignore)

    /// `workerTask name f`: a worker `'Arg -> Task<'Update>`.
    [<CustomOperation("workerTask")>]
    member _.WorkerTask(d: GraphDefinition<'State, 'Update>, name: string, worker: 'Arg -> Task<'Update>) =
        d
        |> GraphDefinition.addNode name (fun g o ->
            g.AddWorker<'Arg>(name, Func<'Arg, NodeContext, ValueTask<'Update>>(fun a _ -> ValueTask<'Update>(worker a)), o)
            |> ignore)

    /// `workerAsync name f`: a worker `'Arg -> Async<'Update>`.
    [<CustomOperation("workerAsync")>]
    member _.WorkerAsync(d: GraphDefinition<'State, 'Update>, name: string, worker: 'Arg -> Async<'Update>) =
        d
        |> GraphDefinition.addNode name (fun g o ->
            g.AddWorker<'Arg>(
                name,
                Func<'Arg, NodeContext, ValueTask<'Update>>(fun a ctx ->
                    ValueTask<'Update>(Async.StartImmediateAsTask(worker a, ctx.CancellationToken))),
                o
            )
            |> ignore)

    /// `workerTaskWith name f`: a worker `NodeContext -> 'Arg -> Task<'Update>`.
    [<CustomOperation("workerTaskWith")>]
    member _.WorkerTaskWith(d: GraphDefinition<'State, 'Update>, name: string, worker: NodeContext -> 'Arg -> Task<'Update>) =
        d
        |> GraphDefinition.addNode name (fun g o ->
            g.AddWorker<'Arg>(name, Func<'Arg, NodeContext, ValueTask<'Update>>(fun a ctx -> ValueTask<'Update>(worker ctx a)), o)
            |> ignore)

    /// `subgraph name child input output`: a compiled graph as a node.
    [<CustomOperation("subgraph")>]
    member _.Subgraph
        (
            d: GraphDefinition<'State, 'Update>,
            name: string,
            child: CompiledGraph<'ChildState, 'ChildUpdate>,
            input: 'State -> 'ChildState,
            output: 'ChildState -> 'Update
        ) =
        d
        |> GraphDefinition.addNode name (fun g o ->
            g.AddSubgraph(name, child, Func<'State, 'ChildState>(input), Func<'ChildState, 'Update>(output), o)
            |> ignore)

    /// `edge from target`: `target` runs in the step after `from` (`START` and `END` allowed).
    [<CustomOperation("edge")>]
    member _.Edge(d: GraphDefinition<'State, 'Update>, from: string, target: string) =
        { d with Edges = d.Edges @ [ from, target ] }

    /// `fanOut from targets`: one edge per target; they run concurrently.
    [<CustomOperation("fanOut")>]
    member _.FanOut(d: GraphDefinition<'State, 'Update>, from: string, targets: string list) =
        { d with Edges = d.Edges @ (targets |> List.map (fun t -> from, t)) }

    /// `route from targets router`: after `from`, `router` reads the state and returns a `Next` within `targets`.
    [<CustomOperation("route")>]
    member _.Route(d: GraphDefinition<'State, 'Update>, from: string, targets: string list, router: 'State -> Next) =
        { d with Routes = d.Routes @ [ { From = from; Targets = targets; Router = router } ] }

    /// `join sources target`: `target` runs once after all `sources` finished (across steps).
    [<CustomOperation("join")>]
    member _.Join(d: GraphDefinition<'State, 'Update>, sources: string list, target: string) =
        { d with Joins = d.Joins @ [ sources, target ] }

    /// `configure name f`: changes the options of node `name`.
    [<CustomOperation("configure")>]
    member _.Configure(d: GraphDefinition<'State, 'Update>, name: string, change: NodeConfig -> NodeConfig) =
        GraphDefinition.configure name change d

    /// `retry name policy`: retries failed tasks of node `name` (see `Retry`).
    [<CustomOperation("retry")>]
    member _.Retry(d: GraphDefinition<'State, 'Update>, name: string, policy: RetryPolicy) =
        GraphDefinition.configure name (fun c -> { c with Retry = Some policy }) d

    /// `resilience name pipeline`: wraps node `name` in a Polly pipeline instead of `retry`.
    [<CustomOperation("resilience")>]
    member _.Resilience(d: GraphDefinition<'State, 'Update>, name: string, pipeline: Polly.ResiliencePipeline) =
        GraphDefinition.configure name (fun c -> { c with Pipeline = Some pipeline }) d

    /// `timeout name t`: a timeout per attempt of node `name`.
    [<CustomOperation("timeout")>]
    member _.Timeout(d: GraphDefinition<'State, 'Update>, name: string, timeout: TimeSpan) =
        GraphDefinition.configure name (fun c -> { c with Timeout = Some timeout }) d

    /// `parallelism name n`: tasks of node `name` at once across runs (`NodeOptions.Auto` by default, `NodeOptions.Unbounded` for no limit).
    [<CustomOperation("parallelism")>]
    member _.Parallelism(d: GraphDefinition<'State, 'Update>, name: string, parallelism: int) =
        GraphDefinition.configure name (fun c -> { c with Parallelism = parallelism }) d

    /// `mailbox name capacity`: the mailbox capacity of node `name`'s actor.
    [<CustomOperation("mailbox")>]
    member _.Mailbox(d: GraphDefinition<'State, 'Update>, name: string, capacity: int) =
        GraphDefinition.configure name (fun c -> { c with MailboxCapacity = capacity }) d

    /// `stepLimit n`: steps a run may execute (default 25).
    [<CustomOperation("stepLimit")>]
    member _.StepLimit(d: GraphDefinition<'State, 'Update>, limit: int) =
        { d with Config = { d.Config with StepLimit = limit } }

    /// `onSkippedJoin policy`: `JoinSkippedPolicy.Fail` (default) or `Warn`.
    [<CustomOperation("onSkippedJoin")>]
    member _.OnSkippedJoin(d: GraphDefinition<'State, 'Update>, policy: JoinSkippedPolicy) =
        { d with Config = { d.Config with JoinSkipped = policy } }

    /// `maxConcurrentRuns n`: runs in flight at once; more wait.
    [<CustomOperation("maxConcurrentRuns")>]
    member _.MaxConcurrentRuns(d: GraphDefinition<'State, 'Update>, runs: int) =
        { d with Config = { d.Config with MaxConcurrentRuns = Some runs } }

    /// `timeProvider clock`: the clock for timeouts and backoff.
    [<CustomOperation("timeProvider")>]
    member _.TimeProvider(d: GraphDefinition<'State, 'Update>, clock: TimeProvider) =
        { d with Config = { d.Config with TimeProvider = Some clock } }

    /// `logger factory`: where the graph logs failures, retries and skipped joins (category `Graph.Engine.Graphs`).
    [<CustomOperation("logger")>]
    member _.Logger(d: GraphDefinition<'State, 'Update>, factory: ILoggerFactory) =
        { d with Config = { d.Config with LoggerFactory = Some factory } }

    /// `checkpointer store`: runs with a thread id save a checkpoint per step (resume, interrupts, history).
    [<CustomOperation("checkpointer")>]
    member _.Checkpointer(d: GraphDefinition<'State, 'Update>, store: Graph.Engine.Checkpoints.ICheckpointer) =
        { d with Config = { d.Config with Checkpointer = Some store } }

    /// `serializer s`: how checkpoints are written (default `FSharpJson.serializer`).
    [<CustomOperation("serializer")>]
    member _.Serializer(d: GraphDefinition<'State, 'Update>, serializer: Graph.Engine.Checkpoints.ICheckpointSerializer) =
        { d with Config = { d.Config with Serializer = serializer } }

    /// `durability mode`: `Async` (default), `PerStepSync` or `AtExit`.
    [<CustomOperation("durability")>]
    member _.Durability(d: GraphDefinition<'State, 'Update>, mode: Graph.Engine.Checkpoints.CheckpointDurability) =
        { d with Config = { d.Config with Durability = mode } }

    /// `nodeSupervision options`: the supervisor of the node actors (one-for-one; default never gives up, with backoff).
    [<CustomOperation("nodeSupervision")>]
    member _.NodeSupervision(d: GraphDefinition<'State, 'Update>, options: Graph.Engine.Supervision.SupervisorOptions) =
        { d with Config = { d.Config with NodeSupervision = options } }

    /// `interruptBefore [nodes]`: a run stops before a step that plans one of these nodes.
    [<CustomOperation("interruptBefore")>]
    member _.InterruptBefore(d: GraphDefinition<'State, 'Update>, nodes: string list) =
        { d with Config = { d.Config with InterruptBefore = d.Config.InterruptBefore @ nodes } }

    /// `interruptAfter [nodes]`: a run stops after a step that ran one of these nodes.
    [<CustomOperation("interruptAfter")>]
    member _.InterruptAfter(d: GraphDefinition<'State, 'Update>, nodes: string list) =
        { d with Config = { d.Config with InterruptAfter = d.Config.InterruptAfter @ nodes } }

/// The `stateGraph` builder.
[<AutoOpen>]
module StateGraphBuilderInstance =
    /// Defines a state graph as configuration: `stateGraph { reducer ...; node ...; edge ... }`.
    let stateGraph = StateGraphBuilder()
