/// Failure and flow control through the F# DSL: error handlers, branch-failure policies, draining and durable timers.
module Graph.Engine.FSharp.Tests.ControlTests

open System
open System.Collections.Concurrent
open System.Threading.Tasks
open NUnit.Framework
open FsUnit
open Graph.Engine.Checkpoints
open Graph.Engine.Graphs
open Graph.Engine.FSharp
open Graph.Engine.FSharp.Tests.TestSupport
open Graph.Engine.Testing

let private count (runs: ConcurrentDictionary<string, int>) name =
    runs.AddOrUpdate(name, 1, fun _ n -> n + 1) |> ignore
    [ name ]

/// START -> a, b, c; join [a; b; c] -> d; the nodes in `broken` throw.
let private fanOut (runs: ConcurrentDictionary<string, int>) (broken: ConcurrentDictionary<string, bool>) =
    let branch name =
        Node.func (fun (_: string list) ->
            let log = count runs name
            if broken.ContainsKey name then invalidOp $"{name} broke" else log)

    stateGraph {
        reducer (fun (s: string list) (u: string list) -> s @ u)
        checkpointer (InMemoryCheckpointer())
        node "a" (branch "a")
        node "b" (branch "b")
        node "c" (branch "c")
        node "d" (Node.func (fun (s: string list) -> [ "d saw " + String.concat "," s ]))
        fanOut START [ "a"; "b"; "c" ]
        join [ "a"; "b"; "c" ] "d"
        edge "d" END
    }

[<Test>]
let ``onNodeError turns a node's failure into an update and the run goes on`` () =
    task {
        let graph =
            stateGraph {
                reducer (fun (s: string list) (u: string list) -> s @ u)
                node "a" (Node.func (fun _ -> [ "a" ]))
                node "b" (Node.func (fun _ -> invalidOp "b broke"))
                edge START "a"
                edge "a" "b"
                edge "b" END
                onNodeError "b" (fun _ failure -> [ $"{failure.Node}: {failure.Error.Message}" ])
            }
            |> GraphRun.compile

        let! result = graph |> GraphRun.invoke [] |> bounded
        result |> should equal [ "a"; "b: b broke" ]
        do! GraphRun.dispose graph
    }

/// Builds a graph of branches a, b, c with `make runs broken` (b broken), expects thread "t" to fail under
/// ContinueOthers naming b alone, heals b, and checks that the resume ends with `expected` and reran only b.
let continueOthersThenResume make (expected: string list) =
    task {
        let runs = ConcurrentDictionary<string, int>()
        let broken = ConcurrentDictionary<string, bool>()
        broken["b"] <- true
        let graph: Graph.Engine.Graphs.CompiledGraph<string list, string list> = make runs broken |> GraphRun.compile

        let! failed = throwsAsync<StepFailedException, _> (fun () -> graph |> GraphRun.run "t" [])
        failed.Failures |> Seq.map _.Node |> List.ofSeq |> should equal [ "b" ]

        broken.TryRemove "b" |> ignore
        let! resumed = graph |> GraphRun.resume "t" Resumption.Continue |> bounded
        resumed |> RunResult.state |> should equal expected
        runs |> Seq.map (fun r -> r.Key, r.Value) |> Seq.sort |> List.ofSeq |> should equal [ "a", 1; "b", 2; "c", 1 ]
        do! GraphRun.dispose graph
    }

[<Test>]
let ``ContinueOthers names every failed branch and a resume reruns only them`` () =
    continueOthersThenResume
        (fun runs broken -> fanOut runs broken |> fun d -> { d with Failures = { d.Failures with Policy = BranchFailurePolicy.ContinueOthers } })
        [ "a"; "b"; "c"; "d saw a,b,c" ]

[<Test>]
let ``branchFailures and collectBranchFailures set the policy in the DSL`` () =
    task {
        let runs = ConcurrentDictionary<string, int>()
        let broken = ConcurrentDictionary<string, bool>()
        broken["b"] <- true
        let base' = fanOut runs broken
        let continuing = stateGraph { branchFailures BranchFailurePolicy.ContinueOthers }
        continuing.Failures.Policy |> should equal BranchFailurePolicy.ContinueOthers

        let collecting =
            { base' with
                Failures =
                    (stateGraph { collectBranchFailures (fun (f: NodeFailure) -> [ $"error in {f.Node}" ]) }).Failures }
            |> GraphRun.compile

        let! result = collecting |> GraphRun.run "t" [] |> bounded
        result |> RunResult.state |> should equal [ "a"; "error in b"; "c"; "d saw a,error in b,c" ]
        do! GraphRun.dispose collecting
    }

[<Test>]
let ``a durable delay ends the run Waiting and a resume after the due time continues`` () =
    task {
        let clock = SimulatedClock()
        let graph =
            stateGraph {
                reducer (fun (s: string list) (u: string list) -> s @ u)
                checkpointer (InMemoryCheckpointer())
                timeProvider clock
                node "wait" (Node.funcCtx (fun (ctx: NodeContext) (_: string list) ->
                    ctx |> NodeContext.delay (TimeSpan.FromMinutes 5.0)
                    [ "woke" ]))
                edge START "wait"
                edge "wait" END
            }
            |> GraphRun.compile

        let due = clock.GetUtcNow().AddMinutes 5.0
        let! waiting = graph |> GraphRun.run "t" [] |> bounded

        match waiting with
        | RunResult.Waiting(_, wakeAt, [ timer ], Some "t", Some 1L) ->
            wakeAt |> should equal due
            timer.Kind |> should equal InterruptKind.Timer
        | other -> failwithf "expected Waiting, got %A" other

        let! early = graph |> GraphRun.resume "t" Resumption.Continue |> bounded
        early |> RunResult.checkpointId |> should equal (Some 1L)
        clock.Advance(TimeSpan.FromMinutes 5.0)
        let! resumed = graph |> GraphRun.resume "t" Resumption.Continue |> bounded
        resumed |> should equal (RunResult.Completed([ "woke" ], Some "t", Some 2L))
        do! GraphRun.dispose graph
    }

/// A durable graph a → b whose node "a" signals `inA` and then waits for `release`.
let private heldInA () =
    let inA = newGate<unit> ()
    let release = newGate<unit> ()
    let graph =
        stateGraph {
            reducer (fun (s: string list) (u: string list) -> s @ u)
            checkpointer (InMemoryCheckpointer())
            node "a" (Node.task (fun _ ->
                task {
                    inA.TrySetResult() |> ignore
                    do! release.Task
                    return [ "a" ]
                }))
            node "b" (Node.func (fun _ -> [ "b" ]))
            edge START "a"
            edge "a" "b"
            edge "b" END
        }
        |> GraphRun.compile

    graph, inA, release

[<Test>]
let ``GraphRun.drain stops a durable run at its step boundary as Drained`` () =
    task {
        let graph, inA, release = heldInA ()

        let running = graph |> GraphRun.run "t" []
        do! boundedUnit inA.Task
        let drained = graph |> GraphRun.drain Threading.Timeout.InfiniteTimeSpan
        release.SetResult()
        let! result = running |> bounded
        let! all = drained |> bounded
        all |> should equal true
        result |> should equal (RunResult.Drained([ "a" ], Some "t", Some 2L))
        do! GraphRun.dispose graph
    }

[<Test>]
let ``a run's own drain token and double-texting strategy come from its RunConfig`` () =
    task {
        let graph, inA, release = heldInA ()

        use drain = new Threading.CancellationTokenSource()
        let running = graph |> GraphRun.runWith { RunConfig.thread "t" with DrainToken = drain.Token } []
        do! boundedUnit inA.Task

        // A second run on the busy thread is refused under the default strategy.
        let second = graph |> GraphRun.runWith { RunConfig.thread "t" with Multitask = MultitaskStrategy.Reject } []
        let! refused = Assert.ThrowsAsync<GraphThreadBusyException>(fun () -> second :> Task)
        refused |> should not' (equal null)

        drain.Cancel()
        release.SetResult()
        let! result = running |> bounded
        result |> should equal (RunResult.Drained([ "a" ], Some "t", Some 2L))
        let! resumed = graph |> GraphRun.resume "t" Resumption.Continue |> bounded
        resumed |> RunResult.state |> should equal [ "a"; "b" ]
        do! GraphRun.dispose graph
    }
