namespace Graph.Engine.FSharp

open System
open System.Collections.Generic
open Graph.Engine.Graphs

/// How a graph folds a step's updates into its state.
[<RequireQualifiedAccess>]
type ReducerSpec<'State, 'Update> =
    /// One update at a time, in planned order.
    | PerUpdate of Reducer<'State, 'Update>
    /// The step's updates as one batch in planned order (called at every barrier, also with none).
    | PerStep of Func<'State, IReadOnlyList<NodeUpdate<'Update>>, 'State>

/// A node as the DSL recorded it: its name and how to add it to an engine builder.
type NodeSpec<'State, 'Update> =
    { Name: string
      Register: StateGraph<'State, 'Update> -> NodeOptions -> unit }

/// A router as the DSL recorded it.
type RouteSpec<'State> =
    { From: string
      Targets: string list
      Router: Router<'State> }

/// A graph as configuration: what `stateGraph { ... }` returns. Immutable; `Graph.compile` turns it into an
/// engine graph, so one definition can be compiled many times.
type GraphDefinition<'State, 'Update> =
    { Reducer: ReducerSpec<'State, 'Update> option
      /// Nodes in the order they were declared.
      Nodes: NodeSpec<'State, 'Update> list
      /// Per-node options by node name.
      NodeConfigs: Map<string, NodeConfig>
      Edges: (string * string) list
      Routes: RouteSpec<'State> list
      Joins: (string list * string) list
      Config: CompileConfig }

    /// The engine builder for this definition.
    /// <exception cref="T:Graph.Engine.Graphs.GraphValidationException">No reducer, or options for an unknown node.</exception>
    member this.ToStateGraph() =
        let problems =
            [ if this.Reducer.IsNone then
                  "The graph has no reducer: add `reducer (fun state update -> ...)` (or `stepReducer`, `keyedState`)."
              let names = this.Nodes |> List.map _.Name |> Set.ofList

              for name in this.NodeConfigs.Keys do
                  if not (names.Contains name) then
                      $"Options were given for node '{name}', which is not declared." ]

        if not problems.IsEmpty then
            raise (GraphValidationException(Array.ofList problems :> IReadOnlyList<string>))

        this.Build()

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
            node.Register graph (NodeConfig.toNodeOptions config)

        for from, target in this.Edges do
            graph.AddEdge(from, target) |> ignore

        for route in this.Routes do
            let router = route.Router
            graph.AddConditionalEdges(route.From, Func<'State, Route>(fun s -> Next.toRoute (router s)), Array.ofList route.Targets)
            |> ignore

        for sources, target in this.Joins do
            graph.AddJoin(sources, target) |> ignore

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
          Config = CompileConfig.defaults }

    /// Adds a node.
    let addNode name register (definition: GraphDefinition<'State, 'Update>) =
        { definition with Nodes = definition.Nodes @ [ { Name = name; Register = register } ] }

    /// Changes the options of node `name`.
    let configure name (change: NodeConfig -> NodeConfig) (definition: GraphDefinition<'State, 'Update>) =
        let current = definition.NodeConfigs |> Map.tryFind name |> Option.defaultValue NodeConfig.defaults
        { definition with NodeConfigs = definition.NodeConfigs |> Map.add name (change current) }
