namespace Graph.Engine.FSharp.Testing

open System
open System.Threading.Tasks
open Graph.Engine.Actors
open Graph.Engine.Testing

/// Akka TestKit-style expectations on actors (the kit's `ActorProbe`), subject last. Every `within` is measured on the
/// actor system's clock (a `SimulatedClock` in tests), bounded by the probe's real-time limit. Dispose the probe.
[<RequireQualifiedAccess>]
module Probe =
    /// A probe on `system`.
    let create (system: ActorSystem) : ActorProbe = new ActorProbe(system)

    /// A reference whose messages the probe receives (give it to the actor under test as its reply-to).
    let ref<'T> (probe: ActorProbe) : ActorRef<'T> = probe.Ref<'T>()

    /// The next message, which must be a `'T` and arrive within `within`.
    let expectMessage<'T> (within: TimeSpan) (probe: ActorProbe) : Task<'T> = probe.ExpectMessageAsync<'T>(within)

    /// The next message, which must be a `'T` for which `matches` holds, within `within`.
    let expectMessageWhere<'T> (within: TimeSpan) (matches: 'T -> bool) (probe: ActorProbe) : Task<'T> =
        probe.ExpectMessageAsync<'T>(within, Func<'T, bool>(matches))

    /// Asserts that no message arrives for `within` (the probe moves a simulated clock itself).
    let expectNoMessage (within: TimeSpan) (probe: ActorProbe) : Task = probe.ExpectNoMessageAsync(within)

    /// Watches `actor` for `expectTerminated`.
    let watch (actor: ActorRef) (probe: ActorProbe) : unit = probe.Watch actor

    /// The termination of a watched `actor`, within `within`.
    let expectTerminated (actor: ActorRef) (within: TimeSpan) (probe: ActorProbe) : Task<Terminated> =
        probe.ExpectTerminatedAsync(actor, within)

    /// Receives the system's supervision events for `expectEvent`.
    let watchSupervision (probe: ActorProbe) : unit = probe.WatchSupervision()

    /// The next supervision event of type `'Event` for which `matches` holds, within `within`.
    let expectEvent<'Event when 'Event :> Graph.Engine.Supervision.SupervisorEvent> (within: TimeSpan) (matches: 'Event -> bool) (probe: ActorProbe) : Task<'Event> =
        probe.ExpectEventAsync<'Event>(within, Func<'Event, bool>(matches))
