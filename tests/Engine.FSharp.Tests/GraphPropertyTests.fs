/// Randomized differential tests: random DAG shapes (edges, a join, Send map-reduce) and random task completion
/// orders (gates, no sleeps) against a sequential reference evaluation of the same supersteps.
module Graph.Engine.FSharp.Tests.GraphPropertyTests

open System
open System.Collections.Concurrent
open System.Threading
open System.Threading.Tasks
open FsCheck
open FsCheck.FSharp
open Graph.Engine.Graphs
open Graph.Engine.FSharp
open Graph.Engine.FSharp.Tests.TestSupport

type Shape =
    { Count: int
      Edges: (int * int) list
      Join: (int list * int) option
      /// (node, number of items it sends to the worker after it runs)
      Senders: (int * int) list
      /// Keys that fix the completion order of each step's tasks.
      OrderKeys: int list }

/// Names run against topological order, so ordinal order differs from declaration order.
let private nameOf i = string (char (int 'h' - i))

let private workerName = "w"

let private shapes =
    gen {
        let! n = Gen.choose (2, 6)
        let pairs = [ for i in 0 .. n - 1 do for j in i + 1 .. n - 1 -> i, j ]
        let! picks = Gen.listOfLength pairs.Length (Gen.elements [ true; false; false ])
        let edges = List.zip pairs picks |> List.filter snd |> List.map fst
        let! target = Gen.choose (1, n - 1)
        let! sourcePicks = Gen.listOfLength target (Gen.elements [ true; false ])
        let sources = sourcePicks |> List.indexed |> List.filter snd |> List.map fst
        let! withJoin = Gen.elements [ true; false ]
        let! sends = Gen.listOfLength n (Gen.frequency [ 3, Gen.constant 0; 1, Gen.choose (1, 3) ])
        let! keys = Gen.listOfLength 64 (Gen.choose (0, 1000))

        return
            { Count = n
              Edges = edges
              Join = (if withJoin && sources.Length >= 2 then Some(sources, target) else None)
              Senders = sends |> List.indexed |> List.filter (fun (_, k) -> k > 0)
              OrderKeys = keys }
    }

let private targetsOf shape i =
    let plain = shape.Edges |> List.filter (fst >> (=) i) |> List.map snd
    let joined = match shape.Join with Some(sources, _) -> List.contains i sources | None -> false
    let sends = shape.Senders |> List.exists (fst >> (=) i)
    plain, (plain.IsEmpty && not joined && not sends)

let private itemsOf shape i (state: string list) =
    match shape.Senders |> List.tryFind (fst >> (=) i) with
    | Some(_, k) -> [ for j in 1..k -> $"{nameOf i}{j}/{state.Length}" ]
    | None -> []

/// Entry nodes: those without an incoming plain edge or join.
let private entries shape =
    [ 0 .. shape.Count - 1 ]
    |> List.filter (fun j ->
        not (shape.Edges |> List.exists (snd >> (=) j))
        && not (match shape.Join with Some(_, t) -> t = j | None -> false))

type private Task' =
    | NodeTask of int
    | WorkerTask of string

/// The sequential reference: planned tasks per step and the final state, or the join-skip failure.
let private reference shape : (string list list) * Result<string list, string> =
    let index = [ 0 .. shape.Count - 1 ] |> List.map (fun i -> nameOf i, i) |> Map.ofList
    let mutable state = []
    let mutable seen = Set.empty
    let mutable steps = []
    let mutable tasks = entries shape |> List.map nameOf |> List.sort |> List.map (fun n -> NodeTask index[n])

    while not tasks.IsEmpty do
        let names = tasks |> List.map (function NodeTask i -> nameOf i | WorkerTask _ -> workerName)
        steps <- steps @ [ names ]
        state <- state @ (tasks |> List.map (function NodeTask i -> nameOf i | WorkerTask a -> $"w:{a}"))
        let mutable triggered = Set.empty
        let mutable sends = []

        for t in tasks do
            match t with
            | WorkerTask _ -> ()
            | NodeTask i ->
                let plain, _ = targetsOf shape i
                triggered <- Set.union triggered (plain |> List.map nameOf |> Set.ofList)

                match shape.Join with
                | Some(sources, target) when List.contains i sources ->
                    seen <- seen.Add i

                    if seen = Set.ofList sources then
                        triggered <- triggered.Add(nameOf target)
                        seen <- Set.empty
                | _ -> ()

                sends <- sends @ (itemsOf shape i state |> List.map WorkerTask)

        tasks <- (triggered |> Set.toList |> List.sortWith (fun a b -> String.CompareOrdinal(a, b)) |> List.map (fun n -> NodeTask index[n])) @ sends

    steps, (if seen.IsEmpty then Ok state else Error "join skipped")

let private definitionOf shape (enter: NodeContext -> Task) =
    let nodeFn i =
        fun (ctx: NodeContext) (_: string list) ->
            task {
                do! enter ctx
                return [ nameOf i ]
            }

    let mutable d =
        stateGraph {
            reducer Reduce.append
            node workerName (Node.workerCtx (fun ctx (item: string) ->
                task {
                    do! enter ctx
                    return [ $"w:{item}" ]
                }))

            parallelism workerName NodeOptions.Unbounded
            edge workerName END
        }

    for i in 0 .. shape.Count - 1 do
        d <- stateGraph.Node(d, nameOf i, Node.taskCtx (nodeFn i))
        let plain, toEnd = targetsOf shape i

        for j in plain do
            d <- stateGraph.Edge(d, nameOf i, nameOf j)

        if toEnd then
            d <- stateGraph.Edge(d, nameOf i, END)

        if shape.Senders |> List.exists (fst >> (=) i) then
            d <- stateGraph.Route(d, nameOf i, [ workerName ], (fun s -> Next.send workerName (itemsOf shape i s)))

    for e in entries shape do
        d <- stateGraph.Edge(d, START, nameOf e)

    match shape.Join with
    | Some(sources, target) -> stateGraph.Join(d, sources |> List.map nameOf, nameOf target)
    | None -> d

let private check shape =
    task {
        let steps, expected = reference shape
        let hasWorker = not shape.Senders.IsEmpty
        let arrivals = new SemaphoreSlim(0)
        let gates = ConcurrentDictionary<int * int, TaskCompletionSource<unit> * TaskCompletionSource<unit>>()

        let enter (ctx: NodeContext) =
            let gate = newGate<unit> ()
            let returned = newGate<unit> ()
            gates[(ctx.Step, ctx.TaskIndex)] <- (gate, returned)
            arrivals.Release() |> ignore

            task {
                do! gate.Task
                returned.SetResult()
            }
            :> Task

        let definition = definitionOf shape enter

        let definition =
            if hasWorker then definition
            else { definition with Nodes = definition.Nodes |> List.filter (fun n -> n.Name <> workerName); Edges = definition.Edges |> List.filter (fst >> (<>) workerName); NodeConfigs = Map.empty }

        let compiled = GraphRun.compile definition

        try
            let run = GraphRun.collect [] compiled

            // Release each step's tasks one by one in the order the keys give, waiting for each to return.
            let mutable keys = shape.OrderKeys

            for step, planned in List.indexed steps do
                for _ in planned do
                    let! arrived = arrivals.WaitAsync(wait)
                    if not arrived then failwithf "step %d: expected %d tasks %A" (step + 1) planned.Length planned

                let order =
                    planned
                    |> List.mapi (fun i _ -> i, (match keys with k :: _ -> k | [] -> i))
                    |> List.sortBy snd
                    |> List.map fst

                keys <- (match keys with _ :: rest -> rest | [] -> [])

                for taskIndex in order do
                    let gate, returned = gates[(step + 1, taskIndex)]
                    gate.SetResult()
                    do! returned.Task.WaitAsync(wait)

            let! events = bounded run

            let actualSteps =
                events |> List.choose (function RunEvent.StepFinished(_, nodes, _) -> Some nodes | _ -> None)

            let actual =
                match List.last events with
                | RunEvent.RunFinished(_, state) -> Ok state
                | RunEvent.RunFailed(_, (:? JoinSkippedException)) -> Error "join skipped"
                | other -> Error(string other)

            return Prop.label (sprintf "steps %A vs %A; result %A vs %A" actualSteps steps actual expected) (actualSteps = steps && actual = expected)
        finally
            waitBounded (GraphRun.dispose compiled)
    }

[<FsCheck.NUnit.Property(MaxTest = 150)>]
let ``for any DAG and any completion order, the run equals the sequential reference of the same supersteps`` () =
    Prop.forAll (Arb.fromGen shapes) (fun shape -> (check shape |> bounded).GetAwaiter().GetResult())
