/// F# states through checkpoint storage at the storage level (DurableGraphTests covers the runner's checkpoints): the states a run
/// streams are saved through `ICheckpointer` directly and read back.
module Graph.Engine.FSharp.Tests.CheckpointStoreTests

open NUnit.Framework
open FsUnit
open Graph.Engine.Checkpoints
open Graph.Engine.FSharp
open Graph.Engine.FSharp.Tests.TestSupport

type Priority =
    | Low
    | High of reason: string

type Item =
    { Title: string
      Priority: Priority
      Due: int option }

type Board =
    { Items: Item list
      Done: Set<string>
      Owner: string option }

type BoardUpdate =
    | AddItem of Item
    | Finish of string
    | Assign of string option

let private apply board update =
    match update with
    | AddItem item -> { board with Items = board.Items @ [ item ] }
    | Finish title -> { board with Done = board.Done.Add title }
    | Assign owner -> { board with Owner = owner }

let private empty = { Items = []; Done = Set.empty; Owner = None }

[<Test>]
let ``the states of a run with F# records, unions and options round-trip through a checkpointer`` () =
    task {
        use compiled =
            stateGraph {
                reducer apply
                node "add" (Node.func (fun _ -> AddItem { Title = "write"; Priority = High "soon"; Due = Some 3 }))
                node "add2" (Node.func (fun _ -> AddItem { Title = "read"; Priority = Low; Due = None }))
                node "finish" (Node.func (fun _ -> Finish "write"))
                node "assign" (Node.func (fun b -> Assign(if b.Done.IsEmpty then None else Some "ada")))
                edge START "add"
                edge START "add2"
                join [ "add"; "add2" ] "finish"
                edge "finish" "assign"
                edge "assign" END
            }
            |> GraphRun.compile

        let! events = compiled |> GraphRun.collect empty |> bounded
        let states = events |> List.choose (function RunEvent.StepFinished(step, _, s) -> Some(step, s) | _ -> None)
        let store = InMemoryCheckpointer()

        for step, state in states do
            let parent = if step = 1 then None else Some(int64 (step - 1))
            do! store |> CheckpointStore.put CheckpointDurability.PerStepSync (CheckpointStore.checkpoint "t1" (int64 step) parent step CheckpointSource.Loop state)

        let! history = store |> CheckpointStore.history "t1"
        history |> List.map CheckpointStore.readState<Board> |> List.rev |> should equal (List.map snd states)
        let! latest = store |> CheckpointStore.latest "t1"
        let final = latest |> Option.map CheckpointStore.readState<Board>
        final |> Option.map _.Owner |> should equal (Some(Some "ada"))
        final |> should equal (Some(snd (List.last states)))
        let! none = store |> CheckpointStore.latest "nobody"
        none |> should equal None
    }

[<Test>]
let ``reading a checkpoint as another state type fails naming both types`` () =
    let cp = CheckpointStore.checkpoint "t" 1L None 1 CheckpointSource.Input { Items = []; Done = Set.empty; Owner = None }
    let ex = Assert.Throws<CheckpointStoreException>(fun () -> CheckpointStore.readState<Item> cp |> ignore)
    ex.Message |> should haveSubstring "Board"
    ex.Message |> should haveSubstring "Item"
