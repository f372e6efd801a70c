/// The DSL forms of node caching, idle timeouts with heartbeats, and stream modes with back-pressure.
module Graph.Engine.FSharp.Tests.ControlFlowTests

open System
open System.Threading
open System.Threading.Tasks
open NUnit.Framework
open FsUnit
open Graph.Engine.Graphs
open Graph.Engine.FSharp
open Graph.Engine.FSharp.Tests.TestSupport
open Graph.Engine.Testing

[<Test>]
let ``a cached node runs once for an input it has seen, and again after its entry is cleared`` () =
    task {
        let calls = ref 0
        let store = InMemoryNodeCache()

        let compiled =
            stateGraph {
                reducer Reduce.replace
                node "double" (Node.func (fun s -> Interlocked.Increment calls |> ignore; s * 2))
                edge START "double"
                edge "double" END
                cache "double" (Cache.by (fun (s: int) -> string s) None)
                nodeCache store
            }
            |> GraphRun.compile

        try
            let! first = compiled |> GraphRun.invoke 21 |> bounded
            let! second = compiled |> GraphRun.invoke 21 |> bounded
            calls.Value |> should equal 1
            let! removed = store.ClearAsync("double", "21").AsTask()
            let! third = compiled |> GraphRun.invoke 21 |> bounded
            [ first; second; third ] |> should equal [ 42; 42; 42 ]
            removed |> should equal 1
            calls.Value |> should equal 2
        finally
            waitBounded (GraphRun.dispose compiled)
    }

[<Test>]
let ``a node that stops heartbeating fails with a timeout naming its idle timeout`` () =
    task {
        let clock = SimulatedClock()
        let beat = TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
        let never = TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)

        let compiled =
            stateGraph {
                reducer Reduce.replace
                node "stuck" (Node.taskCtx (fun ctx _ -> ctx.Heartbeat(); beat.TrySetResult() |> ignore; never.Task))
                edge START "stuck"
                edge "stuck" END
                idleTimeout "stuck" (TimeSpan.FromSeconds 10.)
                timeProvider clock
            }
            |> GraphRun.compile

        try
            let run = compiled |> GraphRun.invoke 1
            do! beat.Task |> boundedUnit
            do! clock.WhenArmedAsync(TimeSpan.FromSeconds 10.) |> boundedUnit
            clock.Advance(TimeSpan.FromSeconds 10.)
            let! error = Assert.ThrowsAsync<NodeFailedException>(fun () -> run |> bounded :> Task)
            error.Node |> should equal "stuck"
            error.InnerException |> should be (instanceOfType<TimeoutException>)
            error.InnerException.Message |> should haveSubstring "idle for 00:00:10"
        finally
            never.TrySetResult 0 |> ignore
            waitBounded (GraphRun.dispose compiled)
    }

[<Test>]
let ``a stream with the Values mode carries the states and the run's end only`` () =
    task {
        let compiled =
            stateGraph {
                reducer Reduce.replace
                node "a" (Node.func (fun s -> s + 1))
                node "b" (Node.func (fun s -> s * 2))
                edge START "a"
                edge "a" "b"
                edge "b" END
            }
            |> GraphRun.compile

        try
            let events = ResizeArray()

            do!
                compiled
                |> GraphRun.streamWithOptions (StreamOptions(Modes = StreamModes.Values, BufferCapacity = 2)) RunConfig.defaults 1
                |> AsyncStream.iter events.Add CancellationToken.None
                |> boundedUnit

            events
            |> Seq.map (function
                | RunEvent.StepFinished(_, _, state) -> sprintf "step %d" state
                | RunEvent.RunFinished(_, state) -> sprintf "end %d" state
                | other -> sprintf "%A" other)
            |> List.ofSeq
            |> should equal [ "step 2"; "step 4"; "end 4" ]
        finally
            waitBounded (GraphRun.dispose compiled)
    }
