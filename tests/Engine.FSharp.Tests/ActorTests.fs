/// The `Actor` and `ActorSystem` modules.
module Graph.Engine.FSharp.Tests.ActorTests

open System
open NUnit.Framework
open FsUnit
open Graph.Engine.Actors
open Graph.Engine.FSharp
open Graph.Engine.FSharp.Tests.TestSupport

type CounterMessage =
    | Add of int
    | Get of ReplyChannel<int>

[<Test>]
let ``an actor spawned from an F# function handles tells in order and answers asks`` () =
    task {
        use system = ActorSystem.create "fs"
        let mutable total = 0

        let counter =
            Actor.spawn system "counter" (fun message ->
                task {
                    match message with
                    | Add n -> total <- total * 10 + n
                    | Get reply -> reply |> Actor.reply total
                })

        counter |> Actor.tell (Add 1)
        counter |> Actor.tell (Add 2)
        do! counter |> Actor.send (Add 3) |> boundedUnit
        let! value = counter |> Actor.ask wait Get
        value |> should equal 123
        Actor.path counter |> should equal "/fs/counter"
        let! viaAsync = counter |> Actor.askAsync wait Get |> Async.StartAsTask
        viaAsync |> should equal 123
    }

[<Test>]
let ``a failing handler's message reaches the dead letters as an F# record with options`` () =
    task {
        use system = ActorSystem.create "fs"
        let letter = newGate<DeadLetterInfo> ()
        use _ = system |> ActorSystem.deadLetters |> Observable.subscribe (letter.TrySetResult >> ignore)
        let failing = Actor.spawn system "failing" (fun (_: string) -> task { return invalidOp "no" })
        failing |> Actor.tell "boom"
        let! dead = bounded letter.Task
        dead.Recipient |> should equal "/fs/failing"
        dead.Message |> should equal (Some(box "boom"))
        dead.Reason |> should equal DeadLetterReason.HandlerFaulted
        dead.Exception |> Option.map _.Message |> should equal (Some "no")
    }

[<Test>]
let ``children are spawned from the context and found by path`` () =
    task {
        use system = ActorSystem.create "fs"
        let childPath = newGate<string> ()

        let parent =
            Actor.spawnCtx system "parent" (fun ctx (name: string) ->
                task {
                    let child = Actor.spawnChild ctx name (fun _ (_: int) -> task { return () })
                    childPath.SetResult(Actor.path child)
                })

        parent |> Actor.tell "kid"
        let! path = bounded childPath.Task
        path |> should equal "/fs/parent/kid"
        (system |> ActorSystem.tryFindTyped<int> path).IsSome |> should equal true
        (system |> ActorSystem.tryFindTyped<string> path).IsNone |> should equal true
        system |> ActorSystem.tryFind "/fs/nobody" |> should equal None
        Actor.children parent |> List.map Actor.path |> should equal [ path ]
        do! Actor.stop parent |> boundedUnit
        system |> ActorSystem.tryFind path |> should equal None
    }

[<Test>]
let ``an actor from a factory keeps its state in the handler's closure`` () =
    task {
        use system = ActorSystem.create "fs"

        let counter =
            Actor.spawnFrom system "counter" (fun () ->
                let mutable count = 0

                fun _ (message: CounterMessage) ->
                    task {
                        match message with
                        | Add n -> count <- count + n
                        | Get reply -> Actor.reply count reply
                    })

        counter |> Actor.tell (Add 2)
        counter |> Actor.tell (Add 5)
        let! value = counter |> Actor.ask wait Get
        value |> should equal 7
    }

[<Test>]
let ``post reports a full DropNewest mailbox without throwing`` () =
    task {
        use system = ActorSystem.create "fs"
        let gate = newGate<unit> ()
        let options = ActorOptions(Mailbox = MailboxOptions.Bounded(1, OverflowPolicy.DropNewest))
        let slow = Actor.spawnWith options system "slow" (fun (_: int) -> task { do! gate.Task })
        slow |> Actor.post 1 |> ignore
        // The first may already be in the handler; keep posting until one is dropped (at most 3 posts).
        let results = [ for i in 2..4 -> slow |> Actor.post i ]
        results |> should contain PostResult.DroppedNewest
        gate.SetResult()
    }

[<Test>]
let ``cancelling stopAsync ends the wait while the actor still stops`` () =
    task {
        use system = ActorSystem.create "fs"
        let entered = newGate<unit> ()
        let release = newGate<unit> ()

        let busy =
            Actor.spawn system "busy" (fun (_: int) ->
                task {
                    entered.TrySetResult() |> ignore
                    do! release.Task
                })

        busy |> Actor.tell 1
        do! bounded entered.Task
        use cts = new System.Threading.CancellationTokenSource()
        let stopping = Async.StartImmediateAsTask(Actor.stopAsync busy, cancellationToken = cts.Token)
        cts.Cancel()
        let! _ = throwsAsync<OperationCanceledException, unit> (fun () -> stopping)
        busy.Completion.IsCompleted |> should equal false
        release.SetResult()
        do! boundedUnit busy.Completion
        busy.State |> should equal ActorState.Stopped
    }
