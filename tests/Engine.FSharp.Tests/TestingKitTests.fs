/// The F# face of the testing kit (Graph.Engine.FSharp.Testing) on `stateGraph { }` definitions.
module Graph.Engine.FSharp.Tests.TestingKitTests

open System
open System.Threading.Tasks
open NUnit.Framework
open FsUnit
open Graph.Engine.Actors
open Graph.Engine.Checkpoints
open Graph.Engine.Graphs
open Graph.Engine.FSharp
open Graph.Engine.FSharp.Testing
open Graph.Engine.Testing
open Graph.Engine.FSharp.Tests.TestSupport

/// plan sends 1, 2, 3 to lookup (each waits 30 s on `clock`), then report; the state is the sum.
let private lookups (clock: TimeProvider) =
    stateGraph {
        reducer (fun (s: int) (u: int) -> s + u)
        node "plan" (Node.func (fun _ -> 0))
        node "lookup" (Node.workerTask (fun (id: int) ->
            task {
                do! Task.Delay(TimeSpan.FromSeconds 30.0, clock)
                return id * 10
            }))
        node "report" (Node.func (fun _ -> 0))
        edge START "plan"
        route "plan" [ "lookup" ] (fun _ -> Next.send "lookup" [ 1; 2; 3 ])
        edge "lookup" "report"
        edge "report" END
    }

[<Test>]
let ``a deterministic run jumps the clock to the next timer and records each step`` () =
    let clock = SimulatedClock()
    use test = lookups clock |> GraphTest.createWith { Seed = 7; Clock = Some clock }

    test
    |> GraphTest.run 0
    |> RunRecord.shouldRunSteps [ "plan"; "lookup, lookup, lookup"; "report" ]
    |> RunRecord.shouldHaveUpdates "lookup" [ 10; 20; 30 ]
    |> RunRecord.shouldHaveStateAfter 2 60
    |> RunRecord.shouldFinishWith 60
    |> RunRecord.outcome
    |> should equal (Ok 60: Result<int, exn>)

    clock.Elapsed |> should equal (TimeSpan.FromSeconds 30.0)

[<Test>]
let ``the same seed gives the same task order in a fresh test`` () =
    let traceOf seed =
        let clock = SimulatedClock()
        use test = lookups clock |> GraphTest.createWith { Seed = seed; Clock = Some clock }
        test |> GraphTest.run 0 |> RunRecord.shouldFinishWith 60 |> ignore
        GraphTest.trace test

    // The first deterministic run of a process may order differently (docs/testing.md): warm up first.
    traceOf -1 |> ignore
    for seed in 0..9 do
        let first = traceOf seed
        first |> List.filter (fun t -> t.StartsWith "step 2: lookup") |> should haveLength 3
        traceOf seed |> should equal first

[<Test>]
let ``stubs replace nodes by name between runs and a node runs on its own`` () =
    task {
        let pricing =
            stateGraph {
                reducer (fun (s: decimal) (u: decimal) -> s + u)
                node "fetch" (Node.func (fun (_: decimal) -> raise (Net.Http.HttpRequestException "not reachable from tests")))
                node "discount" (Node.func (fun total -> if total >= 100m then -total * 0.1m else 0m))
                node "tax" (Node.worker (fun (rate: decimal) -> rate))
                edge START "fetch"
                edge "fetch" "discount"
                route "discount" [ "tax" ] (fun _ -> Next.send "tax" [ 0.2m ])
                edge "tax" END
            }

        use test = GraphTest.create 0 pricing
        test |> GraphTest.run 0m |> RunRecord.shouldFailWith<NodeFailedException, _, _> |> _.Message |> should haveSubstring "not reachable"
        test |> GraphTest.stub "fetch" (fun _ -> 120m) |> GraphTest.run 0m |> RunRecord.shouldFinishWith 108.2m |> ignore
        test |> GraphTest.removeStub "fetch" |> should equal true
        match test |> GraphTest.run 0m |> RunRecord.outcome with
        | Error e -> e |> should be instanceOfType<NodeFailedException>
        | Ok state -> failwithf "expected the real fetch to fail, got %M" state

        test |> GraphTest.stubWorker "tax" (fun (rate: decimal) -> rate * 2m) |> GraphTest.stub "fetch" (fun _ -> 10m) |> GraphTest.run 0m
        |> RunRecord.shouldFinishWith 10.4m |> ignore

        use compiled = GraphRun.compile pricing
        let! discount = compiled |> Isolated.runNode "discount" 200m |> bounded
        discount.Update |> should equal -20m
        let! tax = compiled |> Isolated.runWorker "tax" 0.2m |> bounded
        tax.Update |> should equal 0.2m
        let! wrong = throwsAsync<ArgumentException, _> (fun () -> compiled |> Isolated.runNode "nope" 0m)
        wrong.Message |> should haveSubstring "no node 'nope'"
    }

[<Test>]
let ``an interrupt is asserted, resumed, and a wrong expectation names the step where the run diverged`` () =
    let review =
        stateGraph {
            reducer (fun (_: string) (u: string) -> u)
            checkpointer (InMemoryCheckpointer())
            node "draft" (Node.func (fun _ -> "draft"))
            node "review" (Node.funcCtx (fun ctx text ->
                if NodeContext.interrupt<string> (box $"publish '{text}'?") ctx = "yes" then "published" else "discarded"))
            edge START "draft"
            edge "draft" "review"
            edge "review" END
        }

    use test = GraphTest.create 0 review
    let first = test |> GraphTest.runWith (RunConfig.thread "doc-1") ""
    let question = first |> RunRecord.shouldBeInterruptedAt "review"
    question |> Interrupt.valueAs<string> |> should equal (Some "publish 'draft'?")
    first |> RunRecord.interrupts |> List.map _.Node |> should equal [ "review" ]
    test |> GraphTest.resume "doc-1" (Resumption.value "yes") |> RunRecord.shouldFinishWith "published" |> ignore

    let second = test |> GraphTest.runWith (RunConfig.thread "doc-2") ""
    let failure = Assert.Throws<AssertionException>(fun () -> second |> RunRecord.shouldRunSteps [ "review" ] |> ignore)
    failure.Message |> should haveSubstring "diverged at step 1"

[<Test>]
let ``the probe expects a reply, silence on the simulated clock and a termination`` () =
    task {
        let clock = SimulatedClock()
        use system = new ActorSystem("fs-probe", ActorSystemOptions(TimeProvider = clock))
        let probe = Probe.create system
        let replies = probe |> Probe.ref<string>
        let echo = Actor.spawn system "echo" (fun (n: int) -> task { do! replies.SendAsync $"got {n}" })

        echo.Tell 7
        let! reply = probe |> Probe.expectMessage<string> (TimeSpan.FromSeconds 1.0) |> bounded
        reply |> should equal "got 7"
        do! probe |> Probe.expectNoMessage (TimeSpan.FromSeconds 9.0) |> boundedUnit
        clock.Elapsed |> should be (greaterThanOrEqualTo (TimeSpan.FromSeconds 9.0))

        echo.Tell 8
        let! matched = probe |> Probe.expectMessageWhere (TimeSpan.FromSeconds 1.0) (fun (m: string) -> m.EndsWith "8") |> bounded
        matched |> should equal "got 8"

        probe |> Probe.watch echo
        do! echo.StopAsync() |> boundedUnit
        let! terminated = probe |> Probe.expectTerminated echo (TimeSpan.FromSeconds 1.0) |> bounded
        terminated.Actor |> should equal (echo :> ActorRef)
        do! probe.DisposeAsync().AsTask() |> boundedUnit
    }

[<Test>]
let ``the engine kit's own GraphTest type stays reachable beside the F# module`` () =
    use test = Graph.Engine.Testing.GraphTest.Create(lookups (SimulatedClock()) |> GraphRun.build, seed = 1)
    test.Seed |> should equal 1

[<Test>]
let ``a node inside a subgraph is stubbed by name for runs and for the subgraph node on its own`` () =
    task {
        use writer =
            stateGraph {
                reducer (fun (_: string) (u: string) -> u)
                node "search" (Node.func (fun (_: string) -> raise (Net.Http.HttpRequestException "not reachable from tests")))
                node "draft" (Node.func (fun facts -> $"draft from {facts}"))
                edge START "search"
                edge "search" "draft"
                edge "draft" END
            }
            |> GraphRun.compile

        let article =
            stateGraph {
                reducer (fun (_: string) (u: string) -> u)
                node "plan" (Node.func (fun (topic: string) -> topic.ToUpperInvariant()))
                node "write" (Node.subgraph writer id (fun text -> $"<{text}>"))
                edge START "plan"
                edge "plan" "write"
                edge "write" END
            }

        use test = GraphTest.create 1 article
        test |> GraphTest.run "otters" |> RunRecord.shouldFailWith<NodeFailedException, _, _> |> ignore

        test
        |> GraphTest.stubIn "write" "search" (fun (topic: string) -> $"facts on {topic}")
        |> GraphTest.run "otters"
        |> RunRecord.shouldRunSteps [ "plan"; "write" ]
        |> RunRecord.shouldFinishWith "<draft from facts on OTTERS>"
        |> ignore

        (test |> GraphTest.runNode "write" "beavers").Update |> should equal "<draft from facts on beavers>"
        (test |> GraphTest.subgraph<string, string, _, _> "write").RemoveStub "search" |> should equal true
        (fun () -> test |> GraphTest.runNode "write" "beavers" |> ignore) |> should throw typeof<NodeFailedException>
        (fun () -> test |> GraphTest.stubIn "plan" "search" (fun (s: string) -> s) |> ignore) |> should throw typeof<ArgumentException>
    }

[<Test>]
let ``an async router starts on the deterministic scheduler, as nodes do`` () =
    let mutable routerContext: Threading.SynchronizationContext = null
    let graph =
        stateGraph {
            reducer (fun (s: int) (u: int) -> s + u)
            node "plan" (Node.func (fun _ -> 1))
            node "report" (Node.func (fun _ -> 10))
            edge START "plan"
            routeAsync "plan" [ "report" ] (fun _ ->
                async {
                    routerContext <- Threading.SynchronizationContext.Current
                    return Next.goto "report"
                })
            edge "report" END
        }

    use test = GraphTest.create 3 graph
    test |> GraphTest.run 0 |> RunRecord.shouldRunSteps [ "plan"; "report" ] |> RunRecord.shouldFinishWith 11 |> ignore
    routerContext |> should be instanceOfType<DeterministicScheduler>
