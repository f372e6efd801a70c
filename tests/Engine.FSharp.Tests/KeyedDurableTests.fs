/// LangGraph-style keyed state in a checkpointed F# graph: values typed by the schema survive the store.
module Graph.Engine.FSharp.Tests.KeyedDurableTests

open System
open System.IO
open System.Threading.Tasks
open NUnit.Framework
open FsUnit
open Graph.Engine.Checkpoints
open Graph.Engine.Graphs
open Graph.Engine.Sqlite
open Graph.Engine.FSharp
open Graph.Engine.FSharp.Tests.TestSupport

type Stop = { Name: string; Minutes: int option }

let private schema =
    KeyedStateSchema()
        .LastValue<Stop>("stop")
        .Reducer("total", Reducers.Sum<int>(), 0)
        .Topic<string>("log", accumulate = true)

let private trip (store: ICheckpointer) =
    stateGraph {
        keyedState schema
        checkpointer store
        node "plan" (Node.func (fun _ -> Keyed.set "stop" { Name = "Lyon"; Minutes = Some 90 } |> Keyed.andSet "total" 1 |> Keyed.andSet "log" "plan"))
        node "ask" (Node.funcCtx (fun ctx (s: KeyedState) ->
            let answer = ctx |> NodeContext.interrupt<string> (box "go?")
            Keyed.set "total" ((Keyed.get<int> "total" s |> Option.defaultValue 0) + 10) |> Keyed.andSet "log" answer))
        edge START "plan"
        edge "plan" "ask"
        edge "ask" END
    }

let stores = [| "memory"; "sqlite" |]

[<TestCaseSource(nameof stores)>]
let ``a keyed state with an F# record value is read back from the store and resumed`` (kind: string) =
    task {
        let path = Path.Combine(Path.GetTempPath(), $"fsharp-keyed-{Guid.NewGuid():N}.db")
        let store: ICheckpointer = if kind = "sqlite" then SqliteCheckpointer.Open path else InMemoryCheckpointer()

        try
            let compiled = GraphRun.compile (trip store)
            let! first = compiled |> GraphRun.run "t" (schema.CreateState()) |> bounded
            first |> RunResult.isInterrupted |> should equal true
            do! GraphRun.dispose compiled

            let fresh = GraphRun.compile (trip store)
            let! snapshot = fresh |> GraphRun.getState "t" |> bounded
            let saved = snapshot.Value.State
            Keyed.get<Stop> "stop" saved |> should equal (Some { Name = "Lyon"; Minutes = Some 90 })
            let! resumed = fresh |> GraphRun.resumeValue "t" "yes" |> bounded
            let final = RunResult.state resumed
            Keyed.get<int> "total" final |> should equal (Some 12) // a sum key: 1, plus (1 + 10)
            Keyed.get<string[]> "log" final |> should equal (Some [| "plan"; "yes" |])
            Keyed.get<Stop> "stop" final |> should equal (Some { Name = "Lyon"; Minutes = Some 90 })
            do! GraphRun.dispose fresh
        finally
            match store with
            | :? IAsyncDisposable as d -> waitBounded (d.DisposeAsync().AsTask())
            | _ -> ()

            for f in [ path; path + "-wal"; path + "-shm" ] do
                if File.Exists f then File.Delete f
    }

[<Test>]
let ``every turn of a chat is the same continueThread call and keeps the earlier turns`` () =
    task {
        let chat =
            KeyedStateSchema().Topic<string>("messages", accumulate = true)

        let graph =
            stateGraph {
                keyedState chat
                checkpointer (InMemoryCheckpointer())
                node "bot" (Node.func (fun (s: KeyedState) -> Keyed.set "messages" ("echo:" + Array.last (s.Get<string[]> "messages"))))
                edge START "bot"
                edge "bot" END
            }
            |> GraphRun.compile

        let! _ = graph |> GraphRun.continueThread "t" (chat.CreateState()) (Keyed.set "messages" "a") |> bounded
        let! second = graph |> GraphRun.continueThread "t" (chat.CreateState()) (Keyed.set "messages" "b") |> bounded
        Keyed.get<string[]> "messages" (RunResult.state second) |> should equal (Some [| "a"; "echo:a"; "b"; "echo:b" |])
        do! GraphRun.dispose graph
    }
