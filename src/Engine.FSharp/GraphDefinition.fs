namespace Graph.Engine.FSharp

open System
open System.Collections.Generic
open System.Threading
open System.Threading.Tasks
open Graph.Engine.Graphs

/// How a graph folds a step's updates into its state.
[<RequireQualifiedAccess>]
type ReducerSpec<'State, 'Update> =
    /// One update at a time, in planned order.
    | PerUpdate of Reducer<'State, 'Update>
    /// The step's updates as one batch in planned order (called at every barrier, also with none).
    | PerStep of Func<'State, IReadOnlyList<NodeUpdate<'Update>>, 'State>

/// How a router runs: on the step's thread, or asynchronously (the next step is planned once its route is known).
[<RequireQualifiedAccess>]
type RouterBody<'State> =
    /// `'State -> Next` (`route`, `routeCases`).
    | Sync of Router<'State>
    /// `CancellationToken -> 'State -> Task<Next>`, the token cancelled with the run (`routeTask`, `routeAsync`).
    | Async of (CancellationToken -> 'State -> Task<Next>)

/// A router as the DSL recorded it.
type RouteSpec<'State> =
    { /// The node after which the router runs.
      From: string
      /// Where the router may go.
      Targets: string list
      /// Reads the state and says where to go.
      Router: RouterBody<'State>
      /// For a typed route (`routeCases`), each union case with the node it goes to; empty for a `Next` router.
      Cases: (string * string) list }

/// The comparable, printable shape of a definition: everything but the functions.
type GraphShape =
    { /// Each node's name and kind (`Node.kind`), in declaration order.
      Nodes: (string * string) list
      /// Plain edges, `from, target`, in declaration order.
      Edges: (string * string) list
      /// Each router's source and targets.
      Routes: (string * string list) list
      /// Joins, `sources, target`.
      Joins: (string list * string) list }

/// A graph as configuration: what `stateGraph { ... }` returns. Immutable; `GraphRun.compile` turns it into an
/// engine graph, so one definition can be compiled many times.
type GraphDefinition<'State, 'Update> =
    { /// How updates fold into the state (`None` until `reducer`, `stepReducer` or `keyedState`).
      Reducer: ReducerSpec<'State, 'Update> option
      /// Nodes in the order they were declared.
      Nodes: NodeSpec<'State, 'Update> list
      /// Per-node options by node name.
      NodeConfigs: Map<string, NodeConfig>
      /// Plain edges, `from, target`, in declaration order.
      Edges: (string * string) list
      /// Routers in declaration order.
      Routes: RouteSpec<'State> list
      /// Joins in declaration order, each with its failure policy.
      Joins: JoinSpec<'Update> list
      /// Graph-wide options.
      Config: CompileConfig
      /// Error handlers and the branch-failure policy.
      Failures: FailureSpec<'State, 'Update> }

    /// The engine builder for this definition.
    /// <exception cref="T:Graph.Engine.Graphs.GraphValidationException">No reducer, options for an unknown node, or a
    /// typed route case mapped to a node that does not exist (the case is named).</exception>
    member this.ToStateGraph() =
        let problems =
            [ if this.Reducer.IsNone then
                  "The graph has no reducer: add `reducer (fun state update -> ...)` (or `stepReducer`, `keyedState`)."
              let names = this.Nodes |> List.map _.Name |> Set.ofList

              for name in this.NodeConfigs.Keys do
                  if not (names.Contains name) then
                      $"Options were given for node '{name}', which is not declared."

              for route in this.Routes do
                  for case, target in route.Cases do
                      if String.IsNullOrEmpty target then
                          $"The route from '{route.From}' maps case {case} to no node."
                      elif target <> END && not (names.Contains target) then
                          $"The route from '{route.From}' maps case {case} to '{target}', which is not a node." ]

        if not problems.IsEmpty then
            raise (GraphValidationException(Array.ofList problems :> IReadOnlyList<string>))

        this.Build()

    /// The definition without its functions: compare two definitions or print one with `%A`.
    member this.Shape: GraphShape =
        { Nodes = this.Nodes |> List.map (fun n -> n.Name, Node.kind n.Body)
          Edges = this.Edges
          Routes = this.Routes |> List.map (fun r -> r.From, r.Targets)
          Joins = this.Joins |> List.map (fun j -> j.Sources, j.Target) }

    /// Renders the definition as a Mermaid flowchart (it need not be valid).
    member this.ToMermaid() : string = this.Build().ToMermaid()

    /// Renders the definition in Graphviz DOT (it need not be valid).
    member this.ToDot() : string = this.Build().ToDot()

    member private this.Build() : StateGraph<'State, 'Update> =
        let graph =
            match this.Reducer with
            | Some(ReducerSpec.PerUpdate f) -> StateGraph<'State, 'Update>(Func<'State, 'Update, 'State>(f))
            | Some(ReducerSpec.PerStep f) -> StateGraph<'State, 'Update>(f)
            | None -> StateGraph<'State, 'Update>(Func<'State, 'Update, 'State>(fun s _ -> s))

        for node in this.Nodes do
            let config = this.NodeConfigs |> Map.tryFind node.Name |> Option.defaultValue NodeConfig.defaults
            let config =
                match node.Body with
                | NodeBody.Command(destinations, _) -> { config with Destinations = Some destinations }
                | _ -> config

            node |> Node.addTo graph (NodeConfig.toNodeOptions config)

        for from, target in this.Edges do
            graph.AddEdge(from, target) |> ignore

        for route in this.Routes do
            let targets = Array.ofList route.Targets

            match route.Router with
            | RouterBody.Sync router ->
                graph.AddConditionalEdges(route.From, Func<'State, Route>(fun s -> Next.toRoute (router s)), targets)
                |> ignore
            | RouterBody.Async router ->
                let run (s: 'State) (token: CancellationToken) =
                    ValueTask<Route>(task {
                        let! next = router token s
                        return Next.toRoute next
                    })

                graph.AddConditionalEdges(route.From, Func<'State, CancellationToken, ValueTask<Route>>(run), targets)
                |> ignore

        for join in this.Joins do
            FailureSpec.addJoinTo graph join

        FailureSpec.applyTo graph this.Failures
        graph

/// Functions over graph definitions.
[<RequireQualifiedAccess>]
module GraphDefinition =
    /// A definition with nothing in it and the engine's default options.
    let empty<'State, 'Update> : GraphDefinition<'State, 'Update> =
        { Reducer = None
          Nodes = []
          NodeConfigs = Map.empty
          Edges = []
          Routes = []
          Joins = []
          Config = CompileConfig.defaults
          Failures = FailureSpec.empty }

    /// Adds a node.
    let addNode name (body: NodeBody<'State, 'Update>) (definition: GraphDefinition<'State, 'Update>) =
        { definition with Nodes = definition.Nodes @ [ { Name = name; Body = body } ] }

    /// Adds an edge: `target` runs in the step after `from`.
    let addEdge from target (definition: GraphDefinition<'State, 'Update>) =
        { definition with Edges = definition.Edges @ [ from, target ] }

    /// Adds a router after `from` returning a `Next` within `targets`.
    let addRoute from targets (router: 'State -> Next) (definition: GraphDefinition<'State, 'Update>) =
        { definition with Routes = definition.Routes @ [ { From = from; Targets = targets; Router = RouterBody.Sync router; Cases = [] } ] }

    /// Adds an asynchronous router after `from` returning a `Next` within `targets` (`[]`: any node); the token is
    /// cancelled with the run.
    let addRouteAsync from targets (router: CancellationToken -> 'State -> Task<Next>) (definition: GraphDefinition<'State, 'Update>) =
        { definition with Routes = definition.Routes @ [ { From = from; Targets = targets; Router = RouterBody.Async router; Cases = [] } ] }

    /// Adds a typed route after `from`: `router` returns a union case and `target` maps every case to a node once
    /// (a case mapped to a node that does not exist fails the graph build, naming the case).
    /// <exception cref="T:System.ArgumentException">`'Case` is not a union, or `target` fails for a case.</exception>
    let addRouteCases from (router: 'State -> 'Case) (target: 'Case -> string) (definition: GraphDefinition<'State, 'Update>) =
        let cases = RouteCases.enumerate target

        let route =
            { From = from
              Targets = cases |> List.map snd |> List.distinct
              Router = RouterBody.Sync(fun s -> Next.goto (target (router s)))
              Cases = cases }

        { definition with Routes = definition.Routes @ [ route ] }

    /// Adds a join: `target` runs once after all `sources` finished; `failures` says what it does with their failures.
    let addJoin sources target (failures: JoinFailures<'Update>) (definition: GraphDefinition<'State, 'Update>) =
        { definition with Joins = definition.Joins @ [ { Sources = sources; Target = target; Failures = failures } ] }

    /// The definition's shape (`GraphDefinition.Shape`).
    let shape (definition: GraphDefinition<'State, 'Update>) = definition.Shape

    /// Changes the options of node `name`.
    let configure name (change: NodeConfig -> NodeConfig) (definition: GraphDefinition<'State, 'Update>) =
        let current = definition.NodeConfigs |> Map.tryFind name |> Option.defaultValue NodeConfig.defaults
        { definition with NodeConfigs = definition.NodeConfigs |> Map.add name (change current) }
