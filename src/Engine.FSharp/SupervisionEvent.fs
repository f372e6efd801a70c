namespace Graph.Engine.FSharp

open System
open Graph.Engine.Actors
open Graph.Engine.Supervision

/// What a supervisor reports (the engine's `SupervisorEvent`s as an F# union; `supervisor` is its path).
[<RequireQualifiedAccess>]
type SupervisionEvent =
    | ChildStarted of supervisor: string * childId: string * childPath: string
    | ChildFailed of supervisor: string * childId: string * error: exn * message: obj option * directive: SupervisorDirective
    | ChildExited of supervisor: string * childId: string * kind: ChildExitKind * reason: exn option * willRestart: bool
    | ChildRestarted of supervisor: string * childId: string * attempt: int * delay: TimeSpan
    | ChildTerminated of supervisor: string * childId: string
    /// The child's handler ignored its cancellation past the kill timeout: it left the tree and its path.
    | ChildAbandoned of supervisor: string * childId: string * killTimeout: TimeSpan
    /// More than `maxRestarts` restarts within `period`: the supervisor gives up (and escalates next).
    | IntensityReached of supervisor: string * childId: string * maxRestarts: int * period: TimeSpan
    /// The supervisor failed; its own supervisor decides (for a root: it stops).
    | Escalated of supervisor: string * reason: exn * isRoot: bool

/// Converting supervision events.
[<RequireQualifiedAccess>]
module SupervisionEvent =
    /// The F# event for an actor event, if it is a supervisor's.
    let ofActorEvent (e: ActorEvent) : SupervisionEvent option =
        match e with
        | :? ChildStarted as s -> Some(SupervisionEvent.ChildStarted(s.Path, s.ChildId, s.ChildPath))
        | :? ChildFailed as f -> Some(SupervisionEvent.ChildFailed(f.Path, f.ChildId, f.Exception, Option.ofObj f.Message, f.Directive))
        | :? ChildExited as x -> Some(SupervisionEvent.ChildExited(x.Path, x.ChildId, x.Kind, Option.ofObj x.Reason, x.WillRestart))
        | :? ChildRestarted as r -> Some(SupervisionEvent.ChildRestarted(r.Path, r.ChildId, r.Attempt, r.Delay))
        | :? ChildTerminated as t -> Some(SupervisionEvent.ChildTerminated(t.Path, t.ChildId))
        | :? ChildAbandoned as a -> Some(SupervisionEvent.ChildAbandoned(a.Path, a.ChildId, a.KillTimeout))
        | :? RestartIntensityReached as i -> Some(SupervisionEvent.IntensityReached(i.Path, i.ChildId, i.MaxRestarts, i.Period))
        | :? SupervisorEscalated as x -> Some(SupervisionEvent.Escalated(x.Path, x.Reason, x.IsRoot))
        | _ -> None

    /// The supervisor path of an event.
    let supervisor (e: SupervisionEvent) =
        match e with
        | SupervisionEvent.ChildStarted(p, _, _)
        | SupervisionEvent.ChildFailed(p, _, _, _, _)
        | SupervisionEvent.ChildExited(p, _, _, _, _)
        | SupervisionEvent.ChildRestarted(p, _, _, _)
        | SupervisionEvent.ChildTerminated(p, _)
        | SupervisionEvent.ChildAbandoned(p, _, _)
        | SupervisionEvent.IntensityReached(p, _, _, _)
        | SupervisionEvent.Escalated(p, _, _) -> p
