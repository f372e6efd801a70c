/// The `Graph` module: invoke variants, streaming as IAsyncEnumerable / IObservable / list, rendering.
module Graph.Engine.FSharp.Tests.GraphTests

open System
open System.Threading
open System.Threading.Tasks
open NUnit.Framework
open FsUnit
open Graph.Engine.Graphs
open Graph.Engine.FSharp
open Graph.Engine.FSharp.Tests.TestSupport

let private chain =
    stateGraph {
        reducer Reduce.replace
        node "a" (Node.func (fun s -> s + 1))
        node "b" (Node.funcCtx (fun ctx s -> ctx.Emit "hello"; s * 10))
        edge START "a"
        edge "a" "b"
        edge "b" END
    }

[<Test>]
let ``the pipeline compiles, invokes and returns the final state as a task`` () =
    task {
        use compiled = GraphRun.compile chain
        let! result = compiled |> GraphRun.invoke 1 |> bounded
        result |> should equal 20
    }

[<Test>]
let ``invokeAsync runs the graph as an Async`` () =
    let compiled = GraphRun.compile chain

    try
        Async.RunSynchronously(compiled |> GraphRun.invokeAsync 2, int wait.TotalMilliseconds) |> should equal 30
    finally
        waitBounded (GraphRun.dispose compiled)

[<Test>]
let ``stream yields F# events in order and collect gathers them`` () =
    task {
        let compiled = GraphRun.compile chain
        let! events = compiled |> GraphRun.collect 1 |> bounded

        events
        |> should
            equal
            [ RunEvent.TaskStarted(1, "a", 0)
              RunEvent.TaskFinished(1, "a", 0, Outcome.Update 2)
              RunEvent.StepFinished(1, [ "a" ], 2)
              RunEvent.TaskStarted(2, "b", 0)
              RunEvent.Custom(2, "b", 0, Some(box "hello"))
              RunEvent.TaskFinished(2, "b", 0, Outcome.Update 20)
              RunEvent.StepFinished(2, [ "b" ], 20)
              RunEvent.RunFinished(2, 20) ]

        let mutable count = 0
        let e = (compiled |> GraphRun.stream 1).GetAsyncEnumerator()
        let mutable more = true

        while more do
            let! next = e.MoveNextAsync().AsTask() |> bounded
            more <- next
            if more then count <- count + 1

        do! e.DisposeAsync().AsTask() |> boundedUnit
        count |> should equal 8
        do! GraphRun.dispose compiled |> boundedUnit
    }

[<Test>]
let ``a failed run ends the collected events with RunFailed and the stream throws after it`` () =
    task {
        let compiled =
            stateGraph {
                reducer Reduce.replace
                node "bad" (Node.func (fun (_: int) -> invalidOp "broken"))
                edge START "bad"
                edge "bad" END
            }
            |> GraphRun.compile

        let! events = compiled |> GraphRun.collect 0 |> bounded

        match List.last events with
        | RunEvent.RunFailed(1, (:? NodeFailedException as e)) -> e.Node |> should equal "bad"
        | other -> Assert.Fail $"unexpected {other}"

        let seen = ResizeArray()

        let! ex =
            throwsAsync<NodeFailedException, unit> (fun () ->
                task { do! compiled |> GraphRun.stream 0 |> AsyncStream.iter seen.Add CancellationToken.None })

        ex.Node |> should equal "bad"
        (match Seq.last seen with RunEvent.RunFailed _ -> true | _ -> false) |> should equal true
        do! GraphRun.dispose compiled
    }

[<Test>]
let ``observe is a cold observable that completes after RunFinished`` () =
    task {
        let compiled = GraphRun.compile chain
        let done' = newGate<RunEvent<int, int> list> ()
        let seen = ResizeArray()

        use _ =
            (GraphRun.observe 1 compiled)
                .Subscribe(
                    { new IObserver<_> with
                        member _.OnNext e = seen.Add e
                        member _.OnError e = done'.TrySetException e |> ignore
                        member _.OnCompleted() = done'.TrySetResult(List.ofSeq seen) |> ignore }
                )

        let! events = bounded done'.Task
        List.last events |> should equal (RunEvent<int, int>.RunFinished(2, 20))
        do! GraphRun.dispose compiled
    }

[<Test>]
let ``invokeWith passes run ids and a cancellation token`` () =
    task {
        let started = newGate<unit> ()

        let compiled =
            stateGraph {
                reducer Reduce.replace
                node "wait" (Node.taskCtx (fun ctx (s: string) ->
                    task {
                        started.TrySetResult() |> ignore
                        do! Task.Delay(Timeout.Infinite, ctx.CancellationToken)
                        return s
                    }))
                node "ids" (Node.funcCtx (fun ctx _ -> $"{ctx.RunId}/{ctx.ThreadId}"))
                route START [ "wait"; "ids" ] (fun s -> if s = "wait" then Next.Goto "wait" else Next.Goto "ids")
                edge "wait" END
                edge "ids" END
            }
            |> GraphRun.compile

        let! ids =
            compiled
            |> GraphRun.invokeWith { RunConfig.defaults with RunId = Some "r1"; ThreadId = Some "t1" } "ids"
            |> bounded

        ids |> should equal "r1/t1"
        use cts = new CancellationTokenSource()
        let run = compiled |> GraphRun.invokeWith { RunConfig.defaults with CancellationToken = cts.Token } "wait"
        do! bounded started.Task
        cts.Cancel()
        let! _ = throwsAsync<OperationCanceledException, string> (fun () -> run)
        do! GraphRun.dispose compiled
    }

[<Test>]
let ``a command outcome is reported as an F# Command in TaskFinished`` () =
    task {
        let compiled =
            stateGraph {
                reducer Reduce.sum
                node "c" (Node.command [ "x"; END ] (fun s -> if s > 0 then Outcome.command 5 (Next.Goto "x") else Outcome.goto Next.End))
                node "x" (Node.func (fun _ -> 1))
                edge START "c"
                edge "x" END
            }
            |> GraphRun.compile

        let! events = compiled |> GraphRun.collect 1 |> bounded

        events
        |> List.choose (function RunEvent.TaskFinished(_, "c", _, o) -> Some o | _ -> None)
        |> should equal [ Outcome.Command(Some 5, Next.Goto "x") ]

        let! ended = compiled |> GraphRun.collect 0 |> bounded

        ended
        |> List.choose (function RunEvent.TaskFinished(_, "c", _, o) -> Some o | _ -> None)
        |> should equal [ Outcome<int>.Command(None, Next.End) ]

        do! GraphRun.dispose compiled
    }

[<Test>]
let ``toMermaid and toDot render definitions, engine builders and compiled graphs alike`` () =
    task {
        let compiled = GraphRun.compile chain
        let mermaid = GraphRun.toMermaid chain
        mermaid |> should equal (GraphRun.toMermaid compiled)
        mermaid |> should equal (GraphRun.toMermaid (GraphRun.build chain))
        mermaid |> should haveSubstring "a --> b"
        GraphRun.toDot chain |> should equal (GraphRun.toDot compiled)
        GraphRun.nodeNames compiled |> should equal [ "a"; "b" ]
        do! GraphRun.dispose compiled
    }

[<Test>]
let ``START and END are the engine's reserved names`` () =
    START |> should equal StateGraph.Start
    END |> should equal StateGraph.End

[<Test>]
let ``Next maps onto the engine's Route and back`` () =
    let route = Next.toRoute (Next.Many [ Next.FanOut [ "a"; "b" ]; Next.send "w" [ 1; 2 ]; Next.End ])
    List.ofSeq route.Targets |> should equal [ "a"; "b"; END ]
    route.SendList |> Seq.map (fun s -> s.Node, s.Argument) |> List.ofSeq |> should equal [ "w", box 1; "w", box 2 ]

    Next.ofRoute route
    |> should equal (Next.Many [ Next.Goto "a"; Next.Goto "b"; Next.End; Next.Send("w", [ box 1 ]); Next.Send("w", [ box 2 ]) ])
