/// Supervised durable runs through the F# bindings: restarts from the checkpoint, and the interrupt left when the
/// restarts are exhausted.
module Graph.Engine.FSharp.Tests.SupervisedRunTests

open System.Threading
open NUnit.Framework
open FsUnit
open Graph.Engine.Checkpoints
open Graph.Engine.Graphs
open Graph.Engine.Supervision
open Graph.Engine.FSharp
open Graph.Engine.FSharp.Tests.TestSupport

/// START -> "a" -> "flaky" (fails while `failures` > 0) -> END, on an in-memory store; states are lists of node names.
let private flakyGraph (failures: int ref) (runs: int ref) =
    stateGraph {
        reducer (fun (s: string list) (u: string list) -> s @ u)
        checkpointer (InMemoryCheckpointer())
        node "a" (Node.func (fun _ -> [ "a" ]))
        node "flaky" (Node.func (fun _ ->
            Interlocked.Increment(&runs.contents) |> ignore
            if Interlocked.Decrement(&failures.contents) >= 0 then invalidOp "boom" else [ "flaky" ]))
        edge START "a"
        edge "a" "flaky"
        edge "flaky" END
    }
    |> GraphRun.compile

let private noDelay = { SupervisedRun.defaults with MaxRestarts = 1; RestartDelay = RestartDelay.None }

[<Test>]
let ``a run that fails once is restarted from its checkpoint and completes`` () =
    task {
        let runs = ref 0
        let graph = flakyGraph (ref 1) runs
        let! result = graph |> SupervisedRun.run noDelay "t" [] |> bounded
        result |> RunResult.state |> should equal [ "a"; "flaky" ]
        runs.Value |> should equal 2
        do! GraphRun.dispose graph
    }

[<Test>]
let ``a run that keeps failing ends interrupted with the failure and resumes once the cause is gone`` () =
    task {
        let failures = ref 2
        let runs = ref 0
        let graph = flakyGraph failures runs
        let! result = graph |> SupervisedRun.run noDelay "t" [] |> bounded
        let failure = result |> RunResult.interrupts |> List.exactlyOne |> SupervisedRun.failure
        failure |> Option.map (fun f -> f.Node, f.Restarts, f.Error) |> should equal (Some("flaky", 1, "System.InvalidOperationException: boom"))
        runs.Value |> should equal 2

        failures.Value <- 0
        let! resumed = graph |> SupervisedRun.resume noDelay "t" Resumption.Continue |> bounded
        resumed |> should equal (RunResult.Completed([ "a"; "flaky" ], Some "t", Some 3L))
        do! GraphRun.dispose graph
    }
