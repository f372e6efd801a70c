/// Durable runs through the F# bindings: checkpointed F# states, interrupts and resume, history, update and fork,
/// against the in-memory store and SQLite on a temporary file.
module Graph.Engine.FSharp.Tests.DurableGraphTests

open System
open System.IO
open System.Threading.Tasks
open NUnit.Framework
open FsUnit
open FsCheck.FSharp
open Graph.Engine.Checkpoints
open Graph.Engine.Graphs
open Graph.Engine.Sqlite
open Graph.Engine.FSharp
open Graph.Engine.FSharp.Tests.TestSupport

type Priority =
    | Low
    | High of reason: string

type Ticket =
    { Title: string
      Priority: Priority
      Due: int option
      Tags: Set<string> }

type Desk =
    { Tickets: Ticket list
      Owner: string option
      Approved: bool option }

type DeskUpdate =
    | Open of Ticket
    | Assign of string option
    | Decide of bool

type Question = { Text: string; About: Priority }

type Answer =
    | Yes
    | No of why: string option

let private apply desk update =
    match update with
    | Open t -> { desk with Tickets = desk.Tickets @ [ t ] }
    | Assign o -> { desk with Owner = o }
    | Decide d -> { desk with Approved = Some d }

let private empty = { Tickets = []; Owner = None; Approved = None }

let private ticket = { Title = "write"; Priority = High "soon"; Due = Some 3; Tags = set [ "docs"; "f#" ] }

/// A store per test: "memory" or "sqlite" (a temporary file, deleted afterwards).
type Store(kind: string) =
    let path = Path.Combine(Path.GetTempPath(), $"fsharp-durable-{Guid.NewGuid():N}.db")

    let store: ICheckpointer =
        if kind = "sqlite" then SqliteCheckpointer.Open path :> ICheckpointer else InMemoryCheckpointer() :> ICheckpointer

    member _.Checkpointer = store

    member _.DisposeAsync() : Task =
        task {
            match store with
            | :? IAsyncDisposable as d -> do! d.DisposeAsync()
            | _ -> ()

            for f in [ path; path + "-wal"; path + "-shm" ] do
                if File.Exists f then File.Delete f
        }

let private withStore (kind: string) (body: ICheckpointer -> Task) : Task =
    task {
        let store = Store(kind)

        try
            do! body store.Checkpointer |> boundedUnit
        finally
            waitBounded (store.DisposeAsync())
    }

/// open -> assign -> review (asks a question, gets an Answer) -> END.
let private deskGraph (store: ICheckpointer) =
    stateGraph {
        reducer apply
        checkpointer store
        durability CheckpointDurability.PerStepSync
        node "open" (Node.func (fun _ -> Open ticket))
        node "assign" (Node.func (fun d -> Assign(if d.Tickets.IsEmpty then None else Some "ada")))
        node "review" (Node.funcCtx (fun ctx d ->
            match ctx |> NodeContext.interrupt<Answer> (box { Text = "approve?"; About = d.Tickets.Head.Priority }) with
            | Yes -> Decide true
            | No _ -> Decide false))
        edge START "open"
        edge "open" "assign"
        edge "assign" "review"
        edge "review" END
    }

let private chain (store: ICheckpointer) =
    stateGraph {
        reducer apply
        checkpointer store
        durability CheckpointDurability.PerStepSync
        node "open" (Node.func (fun _ -> Open ticket))
        node "assign" (Node.func (fun d -> Assign(Some $"owner of {d.Tickets.Length}")))
        node "decide" (Node.func (fun d -> Decide d.Owner.IsSome))
        edge START "open"
        edge "open" "assign"
        edge "assign" "decide"
        edge "decide" END
    }

let stores = [| "memory"; "sqlite" |]

[<TestCaseSource(nameof stores)>]
let ``F# records, unions, options and sets round-trip through a checkpointed run`` (kind: string) =
    withStore kind (fun store ->
        task {
            let compiled = GraphRun.compile (chain store)
            let! result = compiled |> GraphRun.run "t1" empty
            do! GraphRun.dispose compiled
            let expected = { Tickets = [ ticket ]; Owner = Some "owner of 1"; Approved = Some true }
            result |> should equal (RunResult.Completed(expected, Some "t1", Some 4L))

            // A fresh graph reads every state back from the store only.
            let fresh = GraphRun.compile (chain store)
            let! latest = fresh |> GraphRun.getState "t1"
            latest |> Option.map _.State |> should equal (Some expected)
            latest |> Option.map _.Next |> should equal (Some List.empty<string>)
            let! history = fresh |> GraphRun.history "t1"
            history |> List.map _.Step |> should equal [ 3; 2; 1; 0 ]

            history
            |> List.map (fun s -> s.State.Owner)
            |> should equal [ Some "owner of 1"; Some "owner of 1"; None; None ]

            let! none = fresh |> GraphRun.getState "nobody"
            none |> should equal None
            do! GraphRun.dispose fresh
        })

[<TestCaseSource(nameof stores)>]
let ``a node interrupts with an F# payload and resumes with an F# union value`` (kind: string) =
    withStore kind (fun store ->
        task {
            let compiled = GraphRun.compile (deskGraph store)
            let! first = compiled |> GraphRun.run "t1" empty

            match first with
            | RunResult.Interrupted(state, [ i ], Some "t1", Some _) ->
                state.Owner |> should equal (Some "ada")
                i.Node |> should equal "review"
                i.Kind |> should equal InterruptKind.Dynamic
                i |> Interrupt.valueAs<Question> |> should equal (Some { Text = "approve?"; About = High "soon" })
            | other -> failwithf "expected one interrupt, got %A" other

            do! GraphRun.dispose compiled

            // The pending interrupt as a fresh graph reads it from the store (payload by its recorded type).
            let fresh = GraphRun.compile (deskGraph store)
            let! snapshot = fresh |> GraphRun.getState "t1"
            let pending = snapshot |> Option.map _.Interrupts |> Option.defaultValue []
            pending |> List.map (Interrupt.valueAs<Question>) |> should equal [ Some { Text = "approve?"; About = High "soon" } ]
            snapshot |> Option.map _.Next |> should equal (Some [ "review" ])

            let! resumed = fresh |> GraphRun.resumeValue "t1" (No(Some "too soon"))
            resumed |> RunResult.isInterrupted |> should equal false
            (RunResult.state resumed).Approved |> should equal (Some false)
            resumed |> RunResult.toResult |> Result.map _.Tickets |> should equal (Ok [ ticket ]: Result<Ticket list, Interrupt list>)
            do! GraphRun.dispose fresh
        })

let private staticGraph (store: ICheckpointer) before after =
    stateGraph {
        reducer apply
        checkpointer store
        interruptBefore before
        interruptAfter after
        node "open" (Node.func (fun _ -> Open ticket))
        node "assign" (Node.func (fun _ -> Assign None))
        node "decide" (Node.func (fun d -> Decide(d.Tickets.Length = 1)))
        edge START "open"
        edge "open" "assign"
        edge "assign" "decide"
        edge "decide" END
    }
    |> GraphRun.compile

let private finalDesk = { empty with Tickets = [ ticket ]; Approved = Some true }

[<TestCaseSource(nameof stores)>]
let ``interruptBefore and interruptAfter stop the run and Resumption.Continue finishes it`` (kind: string) =
    withStore kind (fun store ->
        task {
            let before = staticGraph store [ "decide" ] []
            let! stopped = before |> GraphRun.run "t1" empty
            stopped |> RunResult.interrupts |> List.map (fun i -> i.Id, i.Kind, i.Value) |> should equal [ "before:3:0:decide", InterruptKind.Before, None ]
            (RunResult.state stopped).Approved |> should equal None
            let! finished = before |> GraphRun.resume "t1" Resumption.Continue
            finished |> should equal (RunResult.Completed(finalDesk, Some "t1", RunResult.checkpointId finished))
            do! GraphRun.dispose before

            let after = staticGraph store [] [ "open" ]
            let! afterOpen = after |> GraphRun.run "t2" empty
            afterOpen |> RunResult.interrupts |> List.map (fun i -> i.Id, i.Kind) |> should equal [ "after:1:0:open", InterruptKind.After ]
            let! finished2 = after |> GraphRun.resume "t2" Resumption.Continue
            RunResult.state finished2 |> should equal finalDesk

            // Per run, the lists are replaced: no interrupts at all, or others.
            let! straight = after |> GraphRun.runWith { RunConfig.thread "t3" with InterruptAfter = Some [] } empty
            straight |> RunResult.isInterrupted |> should equal false
            let! other = after |> GraphRun.runWith { RunConfig.thread "t4" with InterruptBefore = Some [ "assign" ]; InterruptAfter = Some [] } empty
            other |> RunResult.interrupts |> List.map _.Node |> should equal [ "assign" ]
            do! GraphRun.dispose after
        })

[<Test>]
let ``interruptBefore is raised again for the step after a resumed step`` () =
    withStore "memory" (fun store ->
        task {
            let graph = staticGraph store [ "decide" ] [ "open" ]
            let! _ = graph |> GraphRun.run "t1" empty
            let! beforeDecide = graph |> GraphRun.resume "t1" Resumption.Continue
            beforeDecide |> RunResult.interrupts |> List.map (fun i -> i.Node, i.Kind) |> should equal [ "decide", InterruptKind.Before ]
            do! GraphRun.dispose graph
        })

[<TestCaseSource(nameof stores)>]
let ``resume on a finished thread raises GraphThreadFinishedException and writes nothing`` (kind: string) =
    withStore kind (fun store ->
        task {
            let graph = GraphRun.compile (chain store)
            let! _ = graph |> GraphRun.run "t1" empty
            let! before = graph |> GraphRun.history "t1"
            let! ex = throwsAsync<GraphThreadFinishedException, _> (fun () -> graph |> GraphRun.resume "t1" Resumption.Continue)
            ex.ThreadId |> should equal "t1"
            ex.Message |> should haveSubstring "has finished"
            let! after = graph |> GraphRun.history "t1"
            after |> List.map _.CheckpointId |> should equal (before |> List.map _.CheckpointId)
            do! GraphRun.dispose graph
        })

[<TestCaseSource(nameof stores)>]
let ``history, fork and updateState branch without rewriting the original run`` (kind: string) =
    withStore kind (fun store ->
        task {
            let graph = GraphRun.compile (chain store)
            let! _ = graph |> GraphRun.run "t1" empty
            let! original = graph |> GraphRun.history "t1"
            let afterOpen = original |> List.find (fun s -> s.Step = 1)
            afterOpen.Next |> should equal [ "assign" ]

            // Fork at step 1, then resume: the same final state as the original run.
            let! forked = graph |> GraphRun.fork "t1" afterOpen.CheckpointId
            forked.Source |> should equal CheckpointSource.Fork
            forked.ParentCheckpointId |> should equal (Some afterOpen.CheckpointId)
            forked.State |> should equal afterOpen.State
            let! replayed = graph |> GraphRun.resume "t1" Resumption.Continue
            RunResult.state replayed |> should equal original.Head.State

            // Update at step 1 as "assign": a branch where nobody owns the ticket, so "decide" says false.
            let! updated = graph |> GraphRun.updateStateAt "t1" afterOpen.CheckpointId "assign" (Assign None)
            updated.Source |> should equal CheckpointSource.Update
            updated.Next |> should equal [ "decide" ]
            let! branched = graph |> GraphRun.resume "t1" Resumption.Continue
            (RunResult.state branched).Approved |> should equal (Some false)

            // The original checkpoints are unchanged; the paged history agrees with the full one.
            let! all = graph |> GraphRun.history "t1"
            all |> List.filter (fun s -> s.CheckpointId <= original.Head.CheckpointId) |> should equal original
            let! page = graph |> GraphRun.historyWith (Some 2) (Some original.Head.CheckpointId) "t1"
            page |> should equal (original |> List.skip 1 |> List.take 2)

            // updateState on the latest checkpoint, as START: the run starts over from the updated state.
            let! restarted = graph |> GraphRun.updateState "t1" START (Assign(Some "bob"))
            restarted.Next |> should equal [ "open" ]
            do! GraphRun.dispose graph
        })

[<Test>]
let ``the F# snapshot carries every field of the engine's snapshot`` () =
    withStore "memory" (fun store ->
        task {
            let graph = GraphRun.compile (deskGraph store)
            let! _ = graph |> GraphRun.run "t1" empty
            let! engine = graph.GetStateAsync("t1")
            let! fsharp = graph |> GraphRun.getStateAt "t1" engine.CheckpointId
            let s = fsharp.Value
            (s.ThreadId, s.CheckpointId, s.ParentCheckpointId, s.Step, s.State, s.CreatedAt)
            |> should equal (engine.ThreadId, engine.CheckpointId, Option.ofNullable engine.ParentCheckpointId, engine.Step, engine.Values, engine.CreatedAt)
            s.Next |> should equal (List.ofSeq engine.Next)
            s.CompletedTasks |> should equal (List.ofSeq engine.CompletedTasks)
            s.Interrupts |> should equal (engine.Interrupts |> Seq.map Interrupt.ofEngine |> List.ofSeq)
            (s.Source, s.Writers) |> should equal (engine.Metadata.Source, List.ofSeq engine.Metadata.Writers)
            s.Properties |> Map.toList |> should equal (engine.Metadata.Properties |> Seq.map (fun kv -> kv.Key, kv.Value) |> Seq.sort |> List.ofSeq)
            s.Properties |> Map.containsKey "run_id" |> should equal true
            let! missing = graph |> GraphRun.getStateAt "t1" 999L
            missing |> should equal None
            do! GraphRun.dispose graph
        })

[<Test>]
let ``streamResume yields F# events and an interrupted stream ends with Interrupted`` () =
    withStore "memory" (fun store ->
        task {
            let graph = GraphRun.compile (deskGraph store)
            let! events = graph |> GraphRun.collectWith (RunConfig.thread "t1") empty

            match List.last events with
            | RunEvent.Interrupted(3, Some _, [ i ]) -> i.Node |> should equal "review"
            | other -> failwithf "unexpected last event %A" other

            events
            |> List.choose (function RunEvent.CheckpointSaved(step, _, _, source) -> Some(step, source) | _ -> None)
            |> should equal [ 0, CheckpointSource.Input; 1, CheckpointSource.Loop; 2, CheckpointSource.Loop ]

            let resumed = ResizeArray()
            do! graph |> GraphRun.streamResume "t1" (Resumption.value Yes) |> AsyncStream.iter resumed.Add Threading.CancellationToken.None

            match Seq.last resumed with
            | RunEvent.RunFinished(_, state) -> state.Approved |> should equal (Some true)
            | other -> failwithf "unexpected last event %A" other

            do! GraphRun.dispose graph
        })

[<Test>]
let ``interrupt without a checkpointer fails the node saying what is missing`` () =
    task {
        let graph =
            stateGraph {
                reducer Reduce.replace
                node "ask" (Node.funcCtx (fun ctx (_: int) -> ctx |> NodeContext.interrupt<int> (box "n?")))
                edge START "ask"
                edge "ask" END
            }
            |> GraphRun.compile

        let! events = graph |> GraphRun.collect 0 |> bounded

        match List.last events with
        | RunEvent.RunFailed(_, e) -> (string e) |> should haveSubstring "Checkpointer"
        | other -> failwithf "unexpected %A" other

        do! GraphRun.dispose graph
    }

/// Any desk state, run through a checkpointed graph that replaces it, is read back equal from the store.
[<FsCheck.NUnit.Property(MaxTest = 60)>]
let ``any F# state round-trips through a checkpointed run`` (desk: Desk) =
    let store = InMemoryCheckpointer()

    let graph =
        stateGraph {
            reducer Reduce.replace
            checkpointer store
            node "same" (Node.func id)
            edge START "same"
            edge "same" END
        }
        |> GraphRun.compile

    try
        let result = (graph |> GraphRun.run "t" desk |> bounded).GetAwaiter().GetResult()
        let fresh = (GraphRun.history "t" graph |> bounded).GetAwaiter().GetResult()
        RunResult.state result = desk && fresh |> List.forall (fun s -> s.State = desk)
    finally
        waitBounded (GraphRun.dispose graph)
