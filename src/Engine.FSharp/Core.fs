namespace Graph.Engine.FSharp

open System.Threading.Tasks
open Graph.Engine.Graphs

/// Where a router or a command sends the run next. Mapped onto the engine's `Route` and `Send`.
[<RequireQualifiedAccess>]
type Next =
    /// Run one node in the next step.
    | Goto of node: string
    /// Run several nodes in the next step, concurrently (fan-out).
    | FanOut of nodes: string list
    /// Run worker `node` once per item in the next step, each task with its item as input (map-reduce).
    | Send of node: string * items: obj list
    /// Trigger nothing more from here (declare `END` among the router's targets or the command's destinations).
    | End
    /// Several routes at once, in order.
    | Many of Next list

/// What a node returns: an update, a command (an optional update plus where to go), or nothing.
[<RequireQualifiedAccess>]
type Outcome<'Update> =
    /// An update for the reducer.
    | Update of 'Update
    /// An optional update plus a goto that adds to the node's static edges.
    | Command of update: 'Update option * goto: Next
    /// No update (the reducer sees nothing from this task).
    | NoUpdate

/// Folds one update into the state (called per update, in planned order).
type Reducer<'State, 'Update> = 'State -> 'Update -> 'State

/// Reads the state after a step's barrier and says where to go.
type Router<'State> = 'State -> Next

/// The most general state node: context and state in, an outcome (update, command or nothing) out; what `commandTask` takes.
type NodeFunc<'State, 'Update> = NodeContext -> 'State -> Task<Outcome<'Update>>

/// The most general worker: like `NodeFunc`, with a `Send` item as input instead of the state.
type WorkerFunc<'Arg, 'Update> = NodeContext -> 'Arg -> Task<Outcome<'Update>>

/// The reserved node names.
[<AutoOpen>]
module GraphNames =
    /// The entry of every graph (`StateGraph.Start`).
    [<Literal>]
    let START = "__start__"

    /// The exit of every graph (`StateGraph.End`).
    [<Literal>]
    let END = "__end__"

/// Common reducers.
[<RequireQualifiedAccess>]
module Reduce =
    /// The update replaces the state.
    let replace<'State> : Reducer<'State, 'State> = fun _ update -> update

    /// The update's items are appended to the state's.
    let append<'T> : Reducer<'T list, 'T list> = fun state update -> state @ update

    /// The update is added to the state.
    let inline sum (state: ^T) (update: ^T) : ^T = state + update
