/// The F# examples of README.md and docs/fsharp.md, as written there.
module Graph.Engine.FSharp.Tests.DocsTests

open System
open NUnit.Framework
open FsUnit
open Graph.Engine.Actors
open Graph.Engine.Checkpoints
open Graph.Engine.FSharp
open Graph.Engine.FSharp.Tests.TestSupport

// README (10 lines)
let readme () = task {
    let doubling = stateGraph {
        reducer Reduce.sum
        node "plan" (Node.func (fun _ -> 0))
        node "double" (Node.worker (fun (x: int) -> x * 2))
        edge START "plan"
        route "plan" [ "double" ] (fun _ -> Next.send "double" [ 1..3 ])
        edge "double" END }
    use compiled = GraphRun.compile doubling
    return! compiled |> GraphRun.invoke 0 }   // 2 + 4 + 6 = 12

[<Test>]
let ``the README example returns 12`` () =
    task {
        let! total = bounded (readme ())
        total |> should equal 12
    }

[<Test>]
let ``the side-by-side example of docs/fsharp.md returns 12 and emits the total`` () =
    task {
        let graph =
            stateGraph {
                reducer Reduce.sum
                node "plan" (Node.func (fun _ -> 0))
                node "double" (Node.worker (fun (x: int) -> x * 2))
                node "done" (Node.funcCtx (fun ctx s -> ctx.Emit $"total {s}"; 0))
                edge START "plan"
                route "plan" [ "double" ]
                    (fun _ -> Next.send "double" [ 1..3 ])
                edge "double" "done"
                edge "done" END
            }

        use compiled = GraphRun.compile graph
        let! result = compiled |> GraphRun.invoke 0
        result |> should equal 12
        GraphRun.toMermaid graph |> should equal (GraphRun.toMermaid Samples.doubling)
    }

type Counter =
    | Add of int
    | Get of ReplyChannel<int>

[<Test>]
let ``the actor example of docs/fsharp.md answers 5`` () =
    task {
        use system = ActorSystem.create "demo"
        use _ = system |> ActorSystem.deadLetters |> Observable.subscribe ignore
        let mutable total = 0
        let counter =
            Actor.spawn system "counter" (fun msg -> task {
                match msg with
                | Add n -> total <- total + n
                | Get reply -> reply |> Actor.reply total })
        counter |> Actor.tell (Add 2)
        do! counter |> Actor.send (Add 3)
        let! n = counter |> Actor.ask (TimeSpan.FromSeconds 1.0) Get
        n |> should equal 5
    }

// docs/fsharp.md, "Durable runs" (as written there)
type Review = { Draft: string; Verdict: Verdict option }
and Verdict = Approved | Rejected of reason: string

let reviewing store =
    stateGraph {
        reducer Reduce.replace
        checkpointer store                                       // InMemoryCheckpointer() or SqliteCheckpointer.Open path
        node "draft" (Node.func (fun r -> { r with Draft = "v1" }))
        node "review" (Node.funcCtx (fun ctx r ->
            let verdict = ctx |> NodeContext.interrupt<Verdict> (box $"approve {r.Draft}?")
            { r with Verdict = Some verdict }))
        edge START "draft"
        edge "draft" "review"
        edge "review" END
    }

let durableExample () =
    task {
        let graph = GraphRun.compile (reviewing (InMemoryCheckpointer()))
        let! first = graph |> GraphRun.run "t1" { Draft = ""; Verdict = None }
        match first with
        | RunResult.Interrupted(_, [ question ], _, _) -> printfn "%A" question.Value   // Some "approve v1?"
        | other -> failwithf "%A" other
        let! finished = graph |> GraphRun.resumeValue "t1" (Rejected "too short")          // "review" runs again
        let! snapshot = graph |> GraphRun.getState "t1"                                 // Snapshot<Review> option
        do! GraphRun.dispose graph                                                      // explicit: fsi-friendly
        return RunResult.state finished, snapshot
    }

[<Test>]
let ``the durable example of docs/fsharp.md is rejected with a reason and leaves a finished snapshot`` () =
    task {
        let! state, snapshot = bounded (durableExample ())
        state |> should equal { Draft = "v1"; Verdict = Some(Rejected "too short") }
        snapshot |> Option.map (fun s -> s.State, s.Next) |> should equal (Some(state, List.empty<string>))
    }

// docs/fsharp.md, Supervision
let startPrinters (system: ActorSystem) =
    supervisor {
        strategy Graph.Engine.Supervision.SupervisionStrategy.OneForOne
        intensity 3 (TimeSpan.FromSeconds 10.0)          // a 4th restart within 10 s escalates
        worker "printer" (fun (line: string) -> task { if line = "" then failwith "empty line" })
    }
    |> Supervisor.start system "printers"

[<Test>]
let ``the supervision example of docs/fsharp.md restarts the printer after an empty line`` () =
    task {
        let system = ActorSystem.create "docs"
        let restarted = newGate<unit> ()
        use _ =
            Supervisor.events system
            |> Observable.subscribe (function
                | SupervisionEvent.ChildRestarted(_, "printer", 1, _) -> restarted.TrySetResult() |> ignore
                | _ -> ())
        let! printers = startPrinters system |> bounded
        let printer = (Supervisor.tryChild<string> "printer" printers).Value
        printer |> Actor.tell ""
        do! bounded restarted.Task
        printer |> Actor.tell "hello"
        (Supervisor.tryChild<string> "printer" printers).Value.State |> should equal ActorState.Running
        do! Supervisor.stop printers |> boundedUnit
        do! ActorSystem.shutdown system |> boundedUnit
    }
