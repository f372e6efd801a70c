namespace Graph.Engine.FSharp

open System
open System.Collections.Generic
open System.Threading.Tasks
open Microsoft.Extensions.Logging
open Graph.Engine.Graphs

/// The `stateGraph { ... }` computation expression: a graph as configuration (Farmer style). `Yield` starts
/// from `GraphDefinition.empty`; every operation returns `{ definition with ... }`. Nothing runs until
/// `GraphRun.compile`.
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
        // Bound to the schema itself (not a closure), so the compiled graph finds the schema to checkpoint keyed values.
        let batch =
            Delegate.CreateDelegate(typeof<Func<KeyedState, IReadOnlyList<NodeUpdate<KeyedUpdate>>, KeyedState>>, schema, nameof schema.Reduce)
            :?> Func<KeyedState, IReadOnlyList<NodeUpdate<KeyedUpdate>>, KeyedState>
        { d with Reducer = Some(ReducerSpec.PerStep batch) }

    /// `node name body`: a node, its body made with `Node` (`Node.func`, `Node.task`, `Node.async`, `Node.command`,
    /// `Node.worker`, `Node.subgraph`, ...).
    [<CustomOperation("node")>]
    member _.Node(d: GraphDefinition<'State, 'Update>, name: string, body: NodeBody<'State, 'Update>) =
        GraphDefinition.addNode name body d

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
        GraphDefinition.addRoute from targets router d

    /// `routeTask from targets router`: an asynchronous `route`: `router: 'State -> Task<Next>` reads the state after
    /// the step's barrier and the next step is planned once its route is known (`[]` targets: any node).
    [<CustomOperation("routeTask")>]
    member _.RouteTask(d: GraphDefinition<'State, 'Update>, from: string, targets: string list, router: 'State -> Task<Next>) =
        GraphDefinition.addRouteAsync from targets (fun _ s -> router s) d

    /// `routeAsync from targets router`: like `routeTask` with `router: 'State -> Async<Next>`, cancelled with the run.
    [<CustomOperation("routeAsync")>]
    member _.RouteAsync(d: GraphDefinition<'State, 'Update>, from: string, targets: string list, router: 'State -> Async<Next>) =
        GraphDefinition.addRouteAsync from targets (fun token s -> Async.StartImmediateAsTask(router s, token)) d

    /// `routeCases from router target`: after `from`, `router` returns a union case and `target` maps every case to a
    /// node once (`function Publish -> "publish" | Discard -> "discard"`); a case mapped to a node that does not
    /// exist fails the graph build, naming the case.
    [<CustomOperation("routeCases")>]
    member _.RouteCases(d: GraphDefinition<'State, 'Update>, from: string, router: 'State -> 'Case, target: 'Case -> string) =
        GraphDefinition.addRouteCases from router target d

    /// `join sources target`: `target` runs once after all `sources` finished (across steps).
    [<CustomOperation("join")>]
    member _.Join(d: GraphDefinition<'State, 'Update>, sources: string list, target: string) =
        GraphDefinition.addJoin sources target JoinFailures.GraphPolicy d

    /// `joinWith sources target failures`: a join with its own branch-failure policy for failed tasks of its sources
    /// (`JoinFailures.ContinueOthers`, `FailFast`, or `Collect (fun failure -> update)`), instead of the graph's. A
    /// node that feeds two joins with different policies fails the graph build.
    [<CustomOperation("joinWith")>]
    member _.JoinWith(d: GraphDefinition<'State, 'Update>, sources: string list, target: string, failures: JoinFailures<'Update>) =
        GraphDefinition.addJoin sources target failures d

    /// `onNodeError name handler`: the failure of node `name` after its retries becomes `handler state failure`'s
    /// update, and the node's edges are followed (docs/control.md).
    [<CustomOperation("onNodeError")>]
    member _.OnNodeError(d: GraphDefinition<'State, 'Update>, name: string, handler: 'State -> NodeFailure -> 'Update) =
        let full = fun s f (_: NodeContext) -> NodeResult<'Update>.FromUpdate(handler s f)
        { d with Failures = { d.Failures with Handlers = d.Failures.Handlers.Add(name, full) } }

    /// `onNodeErrorWith name handler`: like `onNodeError`, returning a `NodeResult` (an update or a `Command` to a
    /// handler node or END); the handler may call `NodeContext.interrupt` to ask a person.
    [<CustomOperation("onNodeErrorWith")>]
    member _.OnNodeErrorWith(d: GraphDefinition<'State, 'Update>, name: string, handler: 'State -> NodeFailure -> NodeContext -> NodeResult<'Update>) =
        { d with Failures = { d.Failures with Handlers = d.Failures.Handlers.Add(name, handler) } }

    /// `onAnyNodeError handler`: the error handler of every node without its own.
    [<CustomOperation("onAnyNodeError")>]
    member _.OnAnyNodeError(d: GraphDefinition<'State, 'Update>, handler: 'State -> NodeFailure -> 'Update) =
        let full = fun s f (_: NodeContext) -> NodeResult<'Update>.FromUpdate(handler s f)
        { d with Failures = { d.Failures with Default = Some full } }

    /// `branchFailures policy`: `BranchFailurePolicy.FailFast` (default) or `ContinueOthers` (siblings finish,
    /// then the run fails with a `StepFailedException` naming each failed task).
    [<CustomOperation("branchFailures")>]
    member _.BranchFailures(d: GraphDefinition<'State, 'Update>, policy: BranchFailurePolicy) =
        { d with Failures = { d.Failures with Policy = policy; Collect = None } }

    /// `collectBranchFailures f`: `Collect`: a failed task writes `f failure` and the step goes on, so a join reads
    /// each branch's result or error from the state.
    [<CustomOperation("collectBranchFailures")>]
    member _.CollectBranchFailures(d: GraphDefinition<'State, 'Update>, collect: NodeFailure -> 'Update) =
        { d with Failures = { d.Failures with Policy = BranchFailurePolicy.Collect; Collect = Some collect } }

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

    /// `idleTimeout name t`: node `name`'s attempt fails when it goes `t` without `ctx.Heartbeat()`.
    [<CustomOperation("idleTimeout")>]
    member _.IdleTimeout(d: GraphDefinition<'State, 'Update>, name: string, timeout: TimeSpan) =
        GraphDefinition.configure name (fun c -> { c with IdleTimeout = Some timeout }) d

    /// `cache name policy`: node `name` is skipped for an input with a fresh cached result (see `Cache`; needs `nodeCache`).
    [<CustomOperation("cache")>]
    member _.Cache(d: GraphDefinition<'State, 'Update>, name: string, policy: CachePolicy) =
        GraphDefinition.configure name (fun c -> { c with Cache = Some policy }) d

    /// `nodeCache store`: where cacheable nodes keep their results (`InMemoryNodeCache()`, `SqliteNodeCache.Open path`).
    [<CustomOperation("nodeCache")>]
    member _.NodeCache(d: GraphDefinition<'State, 'Update>, cache: INodeCache) =
        { d with Config = { d.Config with NodeCache = Some cache } }

    /// `maxNodeParallelism n`: tasks at once of a delegate node whose parallelism is `NodeOptions.Auto` (default
    /// 64; `NodeOptions.Unbounded` leaves only the mailbox as a bound).
    [<CustomOperation("maxNodeParallelism")>]
    member _.MaxNodeParallelism(d: GraphDefinition<'State, 'Update>, parallelism: int) =
        { d with Config = { d.Config with MaxNodeParallelism = parallelism } }

    /// `stateMigrations migrations`: threads written by an older version of the graph are resumed through this
    /// chain of typed migrations (`StateMigrations.Empty.Add(fun (v1: V1) -> ...)`; docs/durability.md).
    [<CustomOperation("stateMigrations")>]
    member _.StateMigrations(d: GraphDefinition<'State, 'Update>, migrations: StateMigrations) =
        { d with Config = { d.Config with StateMigrations = Some migrations } }

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

    /// `actorSystem system`: the node actors live in `system` (share one between graphs); the graph's logging
    /// defaults to the system's. The graph does not dispose it.
    [<CustomOperation("actorSystem")>]
    member _.ActorSystem(d: GraphDefinition<'State, 'Update>, system: Graph.Engine.Actors.ActorSystem) =
        { d with Config = { d.Config with ActorSystem = Some system } }

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
