namespace Graph.Engine.FSharp

open System
open System.Threading.Tasks
open Graph.Engine.Graphs

/// A node kind whose types the node union does not show (a worker's argument, a subgraph's child state): its kind,
/// a description and how it is added to an engine builder.
[<CustomEquality; NoComparison>]
type HiddenNode<'State, 'Update> =
    internal
        { Kind: string
          Detail: string
          Add: StateGraph<'State, 'Update> -> string -> NodeOptions -> unit }

    /// What the node is, such as `worker of Int32`.
    member this.Description = $"{this.Kind} of {this.Detail}"

    override this.ToString() = this.Description

    override this.Equals(other) =
        match other with
        | :? HiddenNode<'State, 'Update> as o -> o.Kind = this.Kind && o.Detail = this.Detail
        | _ -> false

    override this.GetHashCode() = hash (this.Kind, this.Detail)

/// What a node runs: one case per kind of node. Functions compare by kind only (see `NodeBody.kind`).
[<RequireQualifiedAccess>]
type NodeBody<'State, 'Update> =
    /// `'State -> 'Update`.
    | Func of ('State -> 'Update)
    /// `NodeContext -> 'State -> 'Update`: synchronous, with the task's context.
    | FuncCtx of (NodeContext -> 'State -> 'Update)
    /// `NodeContext -> 'State -> Task<'Update>`.
    | Task of (NodeContext -> 'State -> Task<'Update>)
    /// `NodeContext -> 'State -> Async<'Update>`, cancelled with the task.
    | Async of (NodeContext -> 'State -> Async<'Update>)
    /// A node returning an `Outcome`, whose commands may only go to `destinations`.
    | Command of destinations: string list * run: NodeFunc<'State, 'Update>
    /// A worker run once per `Next.Send` item.
    | Worker of HiddenNode<'State, 'Update>
    /// A compiled graph as a node.
    | Subgraph of HiddenNode<'State, 'Update>

/// A node as data: its name and what it runs.
type NodeSpec<'State, 'Update> =
    { /// The node's name, unique in its graph.
      Name: string
      /// What the node runs.
      Body: NodeBody<'State, 'Update> }
