/// The `supervisor { }` builder and the `Supervisor` module: restarts, intensity, backoff on a fake clock.
module Graph.Engine.FSharp.Tests.SupervisionTests

open System
open System.Collections.Concurrent
open System.Threading.Tasks
open NUnit.Framework
open FsUnit
open Graph.Engine.Actors
open Graph.Engine.Supervision
open Graph.Engine.FSharp
open Graph.Engine.FSharp.Tests.TestSupport
open Graph.Engine.Testing

type Job =
    | Work of int
    | Fail of string
    | Incarnation of ReplyChannel<int>

/// Records supervision events and completes waits when enough of a kind have arrived (bounded, no sleeps).
type EventLog(system: ActorSystem) =
    let events = ConcurrentQueue<SupervisionEvent>()
    let waiters = ConcurrentBag<(SupervisionEvent list -> bool) * TaskCompletionSource<unit>>()

    let check () =
        let seen = List.ofSeq events
        for (ready, tcs) in waiters do
            if not tcs.Task.IsCompleted && ready seen then tcs.TrySetResult() |> ignore

    let subscription =
        Supervisor.events system
        |> Observable.subscribe (fun e ->
            events.Enqueue e
            check ())

    member _.Events = List.ofSeq events

    member _.WaitUntil(ready: SupervisionEvent list -> bool) : Task =
        let tcs = newGate<unit> ()
        waiters.Add((ready, tcs))
        check ()
        boundedUnit tcs.Task

    member this.WaitFor(count: int, pick: SupervisionEvent -> bool) =
        this.WaitUntil(fun seen -> (seen |> List.filter pick |> List.length) >= count)

    interface IDisposable with
        member _.Dispose() = subscription.Dispose()

let private isRestart = function SupervisionEvent.ChildRestarted _ -> true | _ -> false
let private isEscalated = function SupervisionEvent.Escalated _ -> true | _ -> false

/// A worker counting its incarnations; it fails on `Fail`.
let private flaky (incarnations: int ref) =
    fun () ->
        incarnations.Value <- incarnations.Value + 1
        let mine = incarnations.Value

        fun (_: ActorContext) (job: Job) ->
            task {
                match job with
                | Work _ -> ()
                | Fail why -> failwith why
                | Incarnation reply -> reply |> Actor.reply mine
            }

let private systemWith (clock: TimeProvider) =
    ActorSystem.createWith (ActorSystemOptions(TimeProvider = clock)) "supervision"

[<Test>]
let ``when a child fails twice, it is restarted twice with a fresh handler`` () =
    task {
        let system = ActorSystem.create "supervision"
        use log = new EventLog(system)
        let incarnations = ref 0

        let! sup =
            supervisor {
                intensity 5 (TimeSpan.FromMinutes 1.0)
                workerFrom "flaky" (flaky incarnations)
            }
            |> Supervisor.start system "root"
            |> bounded

        for n in 1..2 do
            (Supervisor.tryChild<Job> "flaky" sup).Value |> Actor.tell (Fail $"boom {n}")
            do! log.WaitFor(n, isRestart)

        let! current = (Supervisor.tryChild<Job> "flaky" sup).Value |> Actor.ask wait Incarnation
        current |> should equal 3

        log.Events
        |> List.choose (function SupervisionEvent.ChildFailed(_, id, e, _, d) -> Some(id, e.Message, d) | _ -> None)
        |> should equal [ "flaky", "boom 1", SupervisorDirective.Restart; "flaky", "boom 2", SupervisorDirective.Restart ]

        log.Events |> List.choose (function SupervisionEvent.ChildRestarted(_, id, attempt, _) -> Some(id, attempt) | _ -> None) |> List.map fst |> should equal [ "flaky"; "flaky" ]
        log.Events |> List.exists isEscalated |> should equal false
        do! Supervisor.stop sup |> boundedUnit
        do! ActorSystem.shutdown system |> boundedUnit
    }

[<Test>]
let ``when a child fails more often than the intensity allows, the supervisor escalates`` () =
    task {
        let clock = SimulatedClock()
        let system = systemWith clock
        use log = new EventLog(system)
        let incarnations = ref 0

        let! sup =
            supervisor {
                intensity 1 (TimeSpan.FromSeconds 10.0)
                workerFrom "flaky" (flaky incarnations)
                worker "steady" (fun (_: Job) -> Task.FromResult())
            }
            |> Supervisor.start system "root"
            |> bounded

        (Supervisor.tryChild<Job> "flaky" sup).Value |> Actor.tell (Fail "one")
        do! log.WaitFor(1, isRestart)
        (Supervisor.tryChild<Job> "flaky" sup).Value |> Actor.tell (Fail "two")
        do! log.WaitFor(1, isEscalated)

        log.Events
        |> List.choose (function
            | SupervisionEvent.IntensityReached(_, id, max, period) -> Some(box (id, max, period))
            | SupervisionEvent.Escalated(path, _, isRoot) -> Some(box (path, isRoot))
            | _ -> None)
        |> should equal [ box ("flaky", 1, TimeSpan.FromSeconds 10.0); box (sup.Path, true) ]

        // A root supervisor that escalates stops, its completion failing with the reason.
        let! stopped = throwsAsync<RestartIntensityExceededException, unit> (fun () -> task { do! sup.Completion })
        stopped.Message |> should haveSubstring "flaky"
        do! ActorSystem.shutdown system |> boundedUnit
    }

[<Test>]
let ``restarts further apart than the period do not escalate`` () =
    task {
        let clock = SimulatedClock()
        let system = systemWith clock
        use log = new EventLog(system)
        let incarnations = ref 0

        let! sup =
            supervisor {
                intensity 1 (TimeSpan.FromSeconds 10.0)
                workerFrom "flaky" (flaky incarnations)
            }
            |> Supervisor.start system "root"
            |> bounded

        for n in 1..3 do
            (Supervisor.tryChild<Job> "flaky" sup).Value |> Actor.tell (Fail $"boom {n}")
            do! log.WaitFor(n, isRestart)
            clock.Advance(TimeSpan.FromSeconds 11.0)

        let! current = (Supervisor.tryChild<Job> "flaky" sup).Value |> Actor.ask wait Incarnation
        current |> should equal 4
        log.Events |> List.exists isEscalated |> should equal false
        do! Supervisor.stop sup |> boundedUnit
        do! ActorSystem.shutdown system |> boundedUnit
    }

[<Test>]
let ``backoff holds the restart until the clock has moved by the delay`` () =
    task {
        let clock = SimulatedClock()
        let system = systemWith clock
        use log = new EventLog(system)
        let incarnations = ref 0

        let! sup =
            supervisor {
                intensity 5 (TimeSpan.FromMinutes 1.0)
                backoff (RestartDelay.Fixed(TimeSpan.FromSeconds 5.0))
                workerFrom "flaky" (flaky incarnations)
            }
            |> Supervisor.start system "root"
            |> bounded

        (Supervisor.tryChild<Job> "flaky" sup).Value |> Actor.tell (Fail "boom")
        do! clock.WhenArmedAsync(TimeSpan.FromSeconds 5.0) |> boundedUnit
        log.Events |> List.exists isRestart |> should equal false
        incarnations.Value |> should equal 1
        clock.Advance(TimeSpan.FromSeconds 5.0)
        do! log.WaitFor(1, isRestart)

        log.Events
        |> List.choose (function SupervisionEvent.ChildRestarted(_, _, attempt, delay) -> Some(attempt, delay) | _ -> None)
        |> should equal [ 1, TimeSpan.FromSeconds 5.0 ]

        let! current = (Supervisor.tryChild<Job> "flaky" sup).Value |> Actor.ask wait Incarnation
        current |> should equal 2
        do! Supervisor.stop sup |> boundedUnit
        do! ActorSystem.shutdown system |> boundedUnit
    }

[<Test>]
let ``the builder maps strategy, intensity, backoff and children onto the engine's options and specs`` () =
    let inner = supervisor { worker "leaf" (fun (_: string) -> Task.FromResult()) }

    let definition =
        supervisor {
            strategy SupervisionStrategy.RestForOne
            intensity 3 (TimeSpan.FromSeconds 30.0)
            backoff (RestartDelay.Fixed(TimeSpan.FromSeconds 1.0))
            worker "a" (fun (_: int) -> Task.FromResult())
            worker "b" (fun (_: string) -> Task.FromResult())
            child (Child.supervisor "nested" inner)
            restart "b" RestartType.Transient
            shutdown "a" ChildShutdown.Brutal
        }

    let options = definition.ToOptions()
    (options.Strategy, options.MaxRestarts, options.Period) |> should equal (SupervisionStrategy.RestForOne, 3, TimeSpan.FromSeconds 30.0)
    options.RestartDelay |> should equal (RestartDelay.Fixed(TimeSpan.FromSeconds 1.0))

    definition.ToChildSpecs()
    |> List.map (fun s -> s.Id, s.Kind, s.Restart)
    |> should equal [ "a", ChildKind.Worker, RestartType.Permanent; "b", ChildKind.Worker, RestartType.Transient; "nested", ChildKind.Supervisor, RestartType.Permanent ]

    definition.ToChildSpecs() |> List.take 2 |> List.map _.MessageType |> should equal [ typeof<int>; typeof<string> ]
    (definition.ToChildSpecs() |> List.head).Shutdown |> should equal ChildShutdown.Brutal
    (fun () -> supervisor { restart "missing" RestartType.Temporary } |> ignore) |> should throw typeof<ArgumentException>

[<Test>]
let ``children, nested supervisors and child operations are visible through the module`` () =
    task {
        let system = ActorSystem.create "supervision"
        let inner = supervisor { worker "leaf" (fun (_: string) -> Task.FromResult()) }

        let! sup =
            supervisor {
                worker "a" (fun (_: int) -> Task.FromResult())
                child (Child.supervisor "nested" inner)
            }
            |> Supervisor.start system "root"
            |> bounded

        let! children = Supervisor.children sup |> bounded
        children |> List.map (fun c -> c.Id, c.Kind, c.Actor.IsSome, c.IsRestarting) |> should equal [ "a", ChildKind.Worker, true, false; "nested", ChildKind.Supervisor, true, false ]
        Supervisor.tryChild<string> "a" sup |> should equal None
        let nested = Supervisor.trySupervisor "nested" sup
        nested |> Option.bind (Supervisor.tryChild<string> "leaf") |> Option.isSome |> should equal true
        Supervisor.trySupervisor "a" sup |> should equal None

        let! _ = sup |> Supervisor.startChild (Child.worker "late" (fun (_: int) -> Task.FromResult())) |> bounded
        do! sup |> Supervisor.terminateChild "late" |> boundedUnit
        do! sup |> Supervisor.deleteChild "late" |> boundedUnit
        let! counts = Supervisor.counts sup |> bounded
        (counts.Specs, counts.Active, counts.Supervisors, counts.Workers) |> should equal (2, 2, 1, 1)
        do! Supervisor.stop sup |> boundedUnit
        do! ActorSystem.shutdown system |> boundedUnit
    }

[<Test>]
let ``cancelling Supervisor.stopAsync ends the wait while the supervisor still stops`` () =
    task {
        use system = ActorSystem.create "fs"
        let entered = newGate<unit> ()
        let release = newGate<unit> ()

        let! sup =
            supervisor {
                worker "busy" (fun (_: int) ->
                    task {
                        entered.TrySetResult() |> ignore
                        do! release.Task
                    })
            }
            |> Supervisor.startAsync system "root"
            |> Async.StartAsTask
            |> bounded

        (Supervisor.tryChild<int> "busy" sup).Value |> Actor.tell 1
        do! bounded entered.Task
        use cts = new System.Threading.CancellationTokenSource()
        let stopping = Async.StartImmediateAsTask(Supervisor.stopAsync sup, cancellationToken = cts.Token)
        cts.Cancel()
        let! _ = throwsAsync<OperationCanceledException, unit> (fun () -> stopping)
        sup.Completion.IsCompleted |> should equal false
        release.SetResult()
        do! boundedUnit sup.Completion
        sup.State |> should equal ActorState.Stopped
    }

[<Test>]
let ``the builder maps auto-shutdown, significant children, the queued-messages rule and the kill timeout`` () =
    let definition =
        supervisor {
            autoShutdown AutoShutdown.AnySignificant
            queuedOnGroupRestart QueuedMessages.DeadLetter
            killTimeout (TimeSpan.FromSeconds 2.0)
            worker "a" (fun (_: int) -> Task.FromResult())
            worker "b" (fun (_: int) -> Task.FromResult())
            restart "a" RestartType.Transient
            significant "a"
        }

    let options = definition.ToOptions()
    (options.AutoShutdown, options.QueuedOnGroupRestart, options.KillTimeout) |> should equal (AutoShutdown.AnySignificant, QueuedMessages.DeadLetter, TimeSpan.FromSeconds 2.0)
    definition.ToChildSpecs() |> List.map (fun s -> s.Id, s.Significant) |> should equal [ "a", true; "b", false ]
    (fun () -> supervisor { significant "missing" } |> ignore) |> should throw typeof<ArgumentException>

    (fun () -> supervisor { worker "p" (fun (_: int) -> Task.FromResult()); significant "p" } |> fun d -> d.ToChildSpecs() |> ignore)
    |> should throw typeof<ArgumentException>

[<Test>]
let ``a significant child that stops on its own shuts an any-significant supervisor down`` () =
    task {
        let system = ActorSystem.create "supervision"

        let! sup =
            supervisor {
                autoShutdown AutoShutdown.AnySignificant
                workerFrom "job" (fun () -> fun (context: ActorContext) (_: int) -> task { context.Stop() })
                worker "other" (fun (_: int) -> Task.FromResult())
                restart "job" RestartType.Transient
                significant "job"
            }
            |> Supervisor.start system "root"
            |> bounded

        let! spec = sup |> Supervisor.childSpec "job" |> bounded
        spec.Significant |> should equal true
        (Supervisor.tryChild<int> "job" sup).Value |> Actor.tell 1
        do! boundedUnit sup.Completion
        sup.State |> should equal ActorState.Stopped
        do! ActorSystem.shutdown system |> boundedUnit
    }

[<Test>]
let ``an async start that returns None keeps the child unstarted until restartChild runs it`` () =
    task {
        let system = ActorSystem.create "supervision"
        let starts = ref 0

        let gated (_: Threading.CancellationToken) : Task<(Job -> Task<unit>) option> =
            task {
                do! Task.Yield()
                let n = Threading.Interlocked.Increment(&starts.contents)
                return if n = 1 then None else Some(fun (_: Job) -> Task.FromResult())
            }

        let! sup =
            supervisor { child (Child.workerAsync "lazy" gated) }
            |> Supervisor.start system "root"
            |> bounded

        let! before = Supervisor.children sup |> bounded
        before |> List.map (fun c -> c.Id, c.Actor.IsSome) |> should equal [ "lazy", false ]
        let! restarted = Supervisor.tryRestartChild "lazy" sup |> bounded
        restarted.IsSome |> should equal true
        starts.Value |> should equal 2
        do! (system :> IAsyncDisposable).DisposeAsync()
    }
