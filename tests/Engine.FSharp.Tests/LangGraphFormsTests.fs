/// The F# forms of LangGraph's asynchronous routers, of the errors a snapshot of a failed step carries, and of a
/// command to the parent graph.
module Graph.Engine.FSharp.Tests.LangGraphFormsTests

open System
open System.Threading
open System.Threading.Tasks
open NUnit.Framework
open FsUnit
open Graph.Engine.Checkpoints
open Graph.Engine.Graphs
open Graph.Engine.FSharp
open Graph.Engine.FSharp.Tests.TestSupport

[<Test>]
let ``routeTask plans the next step once the router's task returns its route`` () =
    task {
        let gate = newGate<Next> ()

        let graph =
            stateGraph {
                reducer (fun (s: string list) u -> s @ u)
                node "plan" (Node.func (fun _ -> [ "plan" ]))
                node "left" (Node.func (fun _ -> [ "left" ]))
                node "right" (Node.func (fun _ -> [ "right" ]))
                edge START "plan"
                routeTask "plan" [ "left"; "right" ] (fun (_: string list) -> gate.Task)
                edge "left" END
                edge "right" END
            }
            |> GraphRun.compile

        try
            let run = graph |> GraphRun.invoke []
            run.IsCompleted |> should equal false
            gate.SetResult(Next.goto "right")
            let! state = run |> bounded
            state |> should equal [ "plan"; "right" ]
        finally
            waitBounded (GraphRun.dispose graph)
    }

[<Test>]
let ``routeAsync without declared targets may go to any node and is checked when it returns`` () =
    task {
        let graph target =
            stateGraph {
                reducer (fun (s: string list) u -> s @ u)
                node "plan" (Node.func (fun _ -> [ "plan" ]))
                node "done" (Node.func (fun _ -> [ "done" ]))
                edge START "plan"
                routeAsync "plan" [] (fun (_: string list) -> async { return Next.goto target })
                edge "done" END
            }
            |> GraphRun.compile

        let good = graph "done"
        let bad = graph "nowhere"

        try
            let! state = good |> GraphRun.invoke [] |> bounded
            state |> should equal [ "plan"; "done" ]
            let! error = throwsAsync<InvalidRouteException, _> (fun () -> bad |> GraphRun.invoke [])
            error.Message |> should haveSubstring "nowhere"
        finally
            waitBounded (GraphRun.dispose good)
            waitBounded (GraphRun.dispose bad)
    }

[<Test>]
let ``routeAsync's router is cancelled with the run`` () =
    task {
        let started = newGate<unit> ()
        let cancelled = newGate<unit> ()

        let router (_: string list) =
            async {
                let! token = Async.CancellationToken
                use _ = token.Register(fun () -> cancelled.TrySetResult() |> ignore)
                started.TrySetResult() |> ignore
                do! Async.AwaitTask(Task.Delay(Timeout.Infinite, token))
                return Next.End
            }

        let graph =
            stateGraph {
                reducer (fun (s: string list) u -> s @ u)
                node "plan" (Node.func (fun _ -> [ "plan" ]))
                edge START "plan"
                routeAsync "plan" [ END ] router
            }
            |> GraphRun.compile

        use cts = new CancellationTokenSource()

        try
            let run = graph |> GraphRun.invokeWith { RunConfig.defaults with CancellationToken = cts.Token } []
            do! started.Task |> boundedUnit
            cts.Cancel()
            do! cancelled.Task |> boundedUnit
            let! _ = throwsAsync<OperationCanceledException, _> (fun () -> run)
            ()
        finally
            waitBounded (GraphRun.dispose graph)
    }

[<Test>]
let ``the snapshot of a failed parallel step lists the failed task's error, and none after the resume`` () =
    task {
        let runs = ref 0

        let graph =
            stateGraph {
                reducer (fun (s: string list) u -> s @ u)
                checkpointer (InMemoryCheckpointer())
                branchFailures BranchFailurePolicy.ContinueOthers
                node "b" (Node.func (fun _ -> if Interlocked.Increment runs = 1 then invalidOp "flaky" else [ "b" ]))
                node "c" (Node.func (fun _ -> [ "c" ]))
                fanOut START [ "b"; "c" ]
                edge "b" END
                edge "c" END
            }
            |> GraphRun.compile

        try
            let! _ = throwsAsync<exn, _> (fun () -> graph |> GraphRun.run "t" [])
            let! failed = graph |> GraphRun.getState "t" |> bounded
            let failed = failed.Value
            failed.Next |> should equal [ "b" ]
            failed.Errors |> List.map _.Node |> should equal [ "b" ]
            failed.Errors.Head.Error |> should haveSubstring "flaky"

            let! _ = graph |> GraphRun.resume "t" Resumption.Continue |> bounded
            let! finished = graph |> GraphRun.getState "t" |> bounded
            finished.Value.Errors |> should be Empty
        finally
            waitBounded (GraphRun.dispose graph)
    }

let private childCommanding (outcome: Outcome<string list>) (laterRuns: int ref) =
    stateGraph {
        reducer (fun (s: string list) u -> s @ u)
        node "route" (Node.funcCtx (fun ctx _ -> ctx |> NodeContext.commandParent outcome))
        node "later" (Node.func (fun _ -> Interlocked.Increment laterRuns |> ignore; [ "later" ]))
        edge START "route"
        edge "route" "later"
        edge "later" END
    }
    |> GraphRun.compile

let private parentOf (child: CompiledGraph<string list, string list>) =
    stateGraph {
        reducer (fun (s: string list) u -> s @ u)
        node "sub" (Node.subgraph child id (fun _ -> [ "sub finished" ]))
        node "b" (Node.func (fun _ -> [ "b" ]))
        node "c" (Node.func (fun _ -> [ "c" ]))
        edge START "sub"
        edge "b" END
        edge "c" END
        configure "sub" (fun c -> { c with Destinations = Some [ "b"; "c" ] })
    }
    |> GraphRun.compile

[<Test>]
let ``NodeContext.commandParent stops the child and the parent applies the update and follows the goto`` () =
    task {
        let laterRuns = ref 0
        let child = childCommanding (Outcome.command [ "from child" ] (Next.goto "c")) laterRuns
        let parent = parentOf child

        try
            let! state = parent |> GraphRun.invoke [ "in" ] |> bounded
            state |> should equal [ "in"; "from child"; "c" ]
            laterRuns.Value |> should equal 0
        finally
            waitBounded (GraphRun.dispose parent)
            waitBounded (GraphRun.dispose child)
    }

[<Test>]
let ``NodeContext.commandParent in a graph run on its own fails the run`` () =
    task {
        let laterRuns = ref 0
        let child = childCommanding (Outcome.goto (Next.goto "c")) laterRuns

        try
            let! error = throwsAsync<exn, _> (fun () -> child |> GraphRun.invoke [])
            string error |> should haveSubstring "parent"
            laterRuns.Value |> should equal 0
        finally
            waitBounded (GraphRun.dispose child)
    }

[<Test>]
let ``Next.send to a state node runs it once per item on that item instead of the run's state`` () =
    task {
        let graph =
            stateGraph {
                reducer (fun (s: string list) u -> s @ u)
                node "fan" (Node.func (fun _ -> [ "fan" ]))
                node "echo" (Node.func (fun (s: string list) -> [ "echo:" + String.concat "," s ]))
                edge START "fan"
                route "fan" [] (fun (_: string list) -> Next.send "echo" [ [ "x" ]; [ "y" ] ])
                edge "echo" END
            }
            |> GraphRun.compile

        try
            let! state = graph |> GraphRun.invoke [] |> bounded
            state |> should equal [ "fan"; "echo:x"; "echo:y" ]
        finally
            waitBounded (GraphRun.dispose graph)
    }
