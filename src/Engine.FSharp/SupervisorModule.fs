namespace Graph.Engine.FSharp

open System
open System.Threading
open System.Threading.Tasks
open Graph.Engine.Actors
open Graph.Engine.Diagnostics
open Graph.Engine.Supervision

/// A supervisor's child as `Supervisor.children` reports it.
type ChildStatus =
    { Id: string
      /// The running actor (`None` while restarting, after it stopped, or when its start was ignored).
      Actor: ActorRef option
      Kind: ChildKind
      Restart: RestartType
      MessageType: Type
      IsRestarting: bool }

/// Starting and inspecting supervisors (subject last).
[<RequireQualifiedAccess>]
module Supervisor =
    /// Starts a top-level supervisor named `name` and its children in order; completes once all have started.
    /// <exception cref="T:Graph.Engine.Supervision.ChildStartException">A child failed to start (the started ones are stopped).</exception>
    let start (system: ActorSystem) (name: string) (definition: SupervisorDefinition) : Task<Supervisor> =
        Supervisor.StartAsync(system, name, definition.ToChildSpecs(), definition.ToOptions())

    /// `start` as an `Async`: cancelling it abandons the start (the children already started are stopped in the
    /// background, as after a failed start).
    let startAsync (system: ActorSystem) (name: string) (definition: SupervisorDefinition) : Async<Supervisor> =
        async {
            let! token = Async.CancellationToken
            return!
                Supervisor.StartAsync(system, name, definition.ToChildSpecs(), definition.ToOptions(), cancellationToken = token)
                |> Async.AwaitTask
        }

    /// The supervisor's children in start order.
    let children (supervisor: Supervisor) : Task<ChildStatus list> =
        task {
            let! infos = supervisor.WhichChildrenAsync()

            return
                infos
                |> Seq.map (fun i ->
                    { Id = i.Id
                      Actor = Option.ofObj i.Child
                      Kind = i.Kind
                      Restart = i.Restart
                      MessageType = i.MessageType
                      IsRestarting = i.IsRestarting })
                |> List.ofSeq
        }

    /// The running child `id` if it accepts `'Message` (`None` while it restarts).
    let tryChild<'Message> (id: string) (supervisor: Supervisor) : ActorRef<'Message> option =
        match supervisor.TryGetChild<'Message>(id) with
        | true, child -> Some child
        | _ -> None

    /// The running nested supervisor `id`.
    let trySupervisor (id: string) (supervisor: Supervisor) : Supervisor option =
        try
            Some(supervisor.GetSupervisor id)
        with :? System.Collections.Generic.KeyNotFoundException ->
            None

    /// Specs, active children, supervisors and workers.
    let counts (supervisor: Supervisor) : Task<ChildCounts> = supervisor.CountChildrenAsync()

    /// Adds and starts a child.
    let startChild (child: ChildDefinition) (supervisor: Supervisor) : Task<ActorRef> = supervisor.StartChildAsync(Child.toSpec child)

    /// Stops child `id` (it stays in the specs until `deleteChild`).
    let terminateChild (id: string) (supervisor: Supervisor) : Task = supervisor.TerminateChildAsync id

    /// Restarts a terminated child `id`.
    /// <exception cref="T:System.InvalidOperationException">Its start was ignored (see `tryRestartChild`).</exception>
    let restartChild (id: string) (supervisor: Supervisor) : Task<ActorRef> = supervisor.RestartChildAsync id

    /// Restarts a terminated or ignored child `id`; `None` when its start (`Child.workerAsync`) was ignored again.
    let tryRestartChild (id: string) (supervisor: Supervisor) : Task<ActorRef option> =
        task {
            let! child = supervisor.RestartChildOrNullAsync id
            return Option.ofObj child
        }

    /// The spec of child `id` (OTP's `get_childspec`).
    let childSpec (id: string) (supervisor: Supervisor) : Task<ChildSpec> = supervisor.GetChildSpecAsync id

    /// Removes the spec of a terminated child `id`.
    let deleteChild (id: string) (supervisor: Supervisor) : Task = supervisor.DeleteChildAsync id

    /// Stops the children (in reverse start order), then the supervisor.
    let stop (supervisor: Supervisor) : Task = supervisor.StopAsync()

    /// `stop` as an `Async`: once it has started, cancelling it ends the wait, not the stop, which runs to the end.
    let stopAsync (supervisor: Supervisor) : Async<unit> =
        async {
            let! token = Async.CancellationToken
            return! supervisor.StopAsync(token) |> Async.AwaitTask
        }

    /// Every supervisor event of the system, as F# unions.
    let events (system: ActorSystem) : IObservable<SupervisionEvent> =
        system.Events |> Observable.choose SupervisionEvent.ofActorEvent

    /// The events of this supervisor and of the supervisors below it.
    let eventsOf (supervisor: Supervisor) : IObservable<SupervisionEvent> =
        let path = supervisor.Path

        events supervisor.Ref.System
        |> Observable.filter (fun e ->
            let p = SupervisionEvent.supervisor e
            p = path || p.StartsWith(path + "/", StringComparison.Ordinal))
