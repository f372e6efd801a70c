namespace Graph.Engine.FSharp

open System
open System.Threading
open System.Threading.Tasks
open Graph.Engine.Actors
open Graph.Engine.Diagnostics
open Graph.Engine.Supervision

/// A child as `supervisor { }` recorded it: its id, restart type and shutdown, and how to build the engine's
/// `ChildSpec` from them (so `restart id ...` and `shutdown id ...` may come before or after the child).
type ChildDefinition =
    { Id: string
      /// `Permanent` (default): always restarted; `Transient`: only after a failure; `Temporary`: never.
      Restart: RestartType
      /// How long the child may take to stop (default: the engine's, 5 s for workers, infinity for supervisors).
      Shutdown: ChildShutdown option
      /// Whether its own exit without a restart can shut the supervisor down (see `autoShutdown`; transient or temporary only).
      Significant: bool
      Build: ChildDefinition -> ChildSpec }

/// A supervisor as configuration: what `supervisor { ... }` returns (the engine's `SupervisorOptions` plus the
/// children). Immutable; `Supervisor.start` starts it.
type SupervisorDefinition =
    { /// `OneForOne` (default), `OneForAll`, `RestForOne`.
      Strategy: SupervisionStrategy
      /// Restarts allowed within `Period` (default 1 in 5 s); one more and the supervisor fails (escalates).
      MaxRestarts: int
      Period: TimeSpan
      /// What to do with a failure (default: restart).
      Decider: ChildFailure -> SupervisorDirective
      /// Delay before a restart (default none; `RestartDelay.Fixed`, `RestartDelay.Exponential`).
      Backoff: RestartDelay
      /// The supervisor actor's own options.
      ActorOptions: ActorOptions option
      /// When significant children's exits shut the supervisor down (default `Never`).
      AutoShutdown: AutoShutdown
      /// What happens to the messages queued to the children a group restart restarts (default `Keep`).
      QueuedOnGroupRestart: QueuedMessages
      /// How long a handler that ignores its cancellation is waited for before its child is abandoned (default 5 s).
      KillTimeout: TimeSpan
      /// Children in start order.
      Children: ChildDefinition list }

    /// The engine's options.
    member this.ToOptions() =
        SupervisorOptions(
            Strategy = this.Strategy,
            MaxRestarts = this.MaxRestarts,
            Period = this.Period,
            Decider = Func<ChildFailure, SupervisorDirective>(this.Decider),
            RestartDelay = this.Backoff,
            ActorOptions = defaultArg this.ActorOptions ActorOptions.Default,
            AutoShutdown = this.AutoShutdown,
            QueuedOnGroupRestart = this.QueuedOnGroupRestart,
            KillTimeout = this.KillTimeout
        )

    /// The engine's child specs, in start order.
    member this.ToChildSpecs() : ChildSpec list = this.Children |> List.map (fun c -> c.Build c)

/// Child definitions from F# functions.
[<RequireQualifiedAccess>]
module Child =
    let private shutdownOf (c: ChildDefinition) = Option.toNullable c.Shutdown

    let private marked (c: ChildDefinition) (spec: ChildSpec) =
        if c.Significant then spec.AsSignificant() else spec

    /// A permanent worker whose handler receives the actor context; each incarnation calls `create ()`, so state
    /// captured by the handler starts over after a restart.
    let workerFrom (id: string) (create: unit -> ActorContext -> 'Message -> Task<unit>) : ChildDefinition =
        { Id = id
          Restart = RestartType.Permanent
          Shutdown = None
          Significant = false
          Build =
            fun c ->
                ChildSpec.Worker<'Message>(c.Id, Func<IActor<'Message>>(fun () -> Actor.actorOf (create ())), c.Restart, shutdownOf c)
                |> marked c }

    /// A permanent worker handling each message with `handler`.
    let worker (id: string) (handler: 'Message -> Task<unit>) : ChildDefinition =
        workerFrom id (fun () _ message -> handler message)

    /// A permanent worker whose start is asynchronous and may be ignored (OTP's `ignore`): `start` runs on every
    /// start of the child and answers `Some handler` to run it or `None` to keep its spec with no actor
    /// (`Supervisor.restartChild` or a group restart tries again). A start that throws is a start failure.
    let workerAsync (id: string) (start: CancellationToken -> Task<('Message -> Task<unit>) option>) : ChildDefinition =
        { Id = id
          Restart = RestartType.Permanent
          Shutdown = None
          Significant = false
          Build =
            fun c ->
                let decide (ct: CancellationToken) : Task<ChildStart<'Message>> =
                    task {
                        match! start ct with
                        | Some handler ->
                            return ChildStart.Run<'Message>(Func<IActor<'Message>>(fun () -> Actor.actorOf (fun _ message -> handler message)))
                        | None -> return ChildStart.Ignore<'Message>()
                    }

                ChildSpec.WorkerAsync<'Message>(c.Id, Func<CancellationToken, Task<ChildStart<'Message>>>(decide), c.Restart, shutdownOf c)
                |> marked c }

    /// A nested supervisor (restarted as a whole by its parent's strategy).
    let supervisor (id: string) (definition: SupervisorDefinition) : ChildDefinition =
        { Id = id
          Restart = RestartType.Permanent
          Shutdown = None
          Significant = false
          Build =
            fun c ->
                ChildSpec.Supervisor(c.Id, definition.ToOptions(), definition.ToChildSpecs(), c.Restart, shutdownOf c)
                |> marked c }

    /// The child with another restart type.
    let withRestart (restart: RestartType) (child: ChildDefinition) = { child with Restart = restart }

    /// The child with another shutdown.
    let withShutdown (shutdown: ChildShutdown) (child: ChildDefinition) = { child with Shutdown = Some shutdown }

    /// The child marked significant (transient or temporary children only; see `autoShutdown`).
    let significant (child: ChildDefinition) = { child with Significant = true }

    /// The engine's `ChildSpec`.
    let toSpec (child: ChildDefinition) : ChildSpec = child.Build child

/// The `supervisor { ... }` computation expression: strategy, intensity, backoff and children as configuration.
type SupervisorBuilder() =
    member _.Yield(_: unit) : SupervisorDefinition =
        { Strategy = SupervisionStrategy.OneForOne
          MaxRestarts = SupervisorOptions.Default.MaxRestarts
          Period = SupervisorOptions.Default.Period
          Decider = fun _ -> SupervisorDirective.Restart
          Backoff = RestartDelay.None
          ActorOptions = None
          AutoShutdown = AutoShutdown.Never
          QueuedOnGroupRestart = QueuedMessages.Keep
          KillTimeout = SupervisorOptions.Default.KillTimeout
          Children = [] }

    /// `strategy s`: `SupervisionStrategy.OneForOne` (default), `OneForAll`, `RestForOne`.
    [<CustomOperation("strategy")>]
    member _.Strategy(d: SupervisorDefinition, strategy: SupervisionStrategy) = { d with Strategy = strategy }

    /// `intensity maxRestarts period`: more restarts than this within `period` and the supervisor escalates.
    [<CustomOperation("intensity")>]
    member _.Intensity(d: SupervisorDefinition, maxRestarts: int, period: TimeSpan) =
        { d with MaxRestarts = maxRestarts; Period = period }

    /// `backoff delay`: `RestartDelay.Fixed ...` or `RestartDelay.Exponential ...` before each restart.
    [<CustomOperation("backoff")>]
    member _.Backoff(d: SupervisorDefinition, delay: RestartDelay) = { d with Backoff = delay }

    /// `decider f`: `ChildFailure -> SupervisorDirective` (`Resume`, `Restart`, `Stop`, `Escalate`).
    [<CustomOperation("decider")>]
    member _.Decider(d: SupervisorDefinition, decide: ChildFailure -> SupervisorDirective) = { d with Decider = decide }

    /// `actorOptions o`: the supervisor actor's own options.
    [<CustomOperation("actorOptions")>]
    member _.ActorOptions(d: SupervisorDefinition, options: ActorOptions) = { d with ActorOptions = Some options }

    /// `autoShutdown rule`: `AutoShutdown.Never` (default), `AnySignificant` or `AllSignificant` (OTP's auto_shutdown).
    [<CustomOperation("autoShutdown")>]
    member _.AutoShutdown(d: SupervisorDefinition, rule: AutoShutdown) = { d with AutoShutdown = rule }

    /// `queuedOnGroupRestart rule`: `QueuedMessages.Keep` (default) or `DeadLetter` (dead-lettered as `Restarted`, as OTP).
    [<CustomOperation("queuedOnGroupRestart")>]
    member _.QueuedOnGroupRestart(d: SupervisorDefinition, rule: QueuedMessages) = { d with QueuedOnGroupRestart = rule }

    /// `killTimeout t`: how long a handler that ignores its cancellation is waited for before its child is abandoned.
    [<CustomOperation("killTimeout")>]
    member _.KillTimeout(d: SupervisorDefinition, timeout: TimeSpan) = { d with KillTimeout = timeout }

    /// `worker id handler`: a permanent worker `'Message -> Task<unit>`.
    [<CustomOperation("worker")>]
    member _.Worker(d: SupervisorDefinition, id: string, handler: 'Message -> Task<unit>) =
        { d with Children = d.Children @ [ Child.worker id handler ] }

    /// `workerFrom id create`: a permanent worker whose handler (with context) is created per incarnation.
    [<CustomOperation("workerFrom")>]
    member _.WorkerFrom(d: SupervisorDefinition, id: string, create: unit -> ActorContext -> 'Message -> Task<unit>) =
        { d with Children = d.Children @ [ Child.workerFrom id create ] }

    /// `child definition`: any `ChildDefinition` (`Child.supervisor id (supervisor { ... })`, ...).
    [<CustomOperation("child")>]
    member _.Child(d: SupervisorDefinition, child: ChildDefinition) = { d with Children = d.Children @ [ child ] }

    /// `restart id restartType`: `Permanent` (default), `Transient` or `Temporary` for child `id`.
    [<CustomOperation("restart")>]
    member _.Restart(d: SupervisorDefinition, id: string, restart: RestartType) =
        if not (d.Children |> List.exists (fun c -> c.Id = id)) then
            invalidArg "id" $"restart: no child '{id}' is declared before this operation."

        { d with Children = d.Children |> List.map (fun c -> if c.Id = id then Child.withRestart restart c else c) }

    /// `significant id`: child `id` (transient or temporary) may shut the supervisor down when it exits (see `autoShutdown`).
    [<CustomOperation("significant")>]
    member _.Significant(d: SupervisorDefinition, id: string) =
        if not (d.Children |> List.exists (fun c -> c.Id = id)) then
            invalidArg "id" $"significant: no child '{id}' is declared before this operation."

        { d with Children = d.Children |> List.map (fun c -> if c.Id = id then Child.significant c else c) }

    /// `shutdown id s`: `ChildShutdown.Brutal`, `ChildShutdown.After t` or `ChildShutdown.Infinity` for child `id`.
    [<CustomOperation("shutdown")>]
    member _.Shutdown(d: SupervisorDefinition, id: string, shutdown: ChildShutdown) =
        if not (d.Children |> List.exists (fun c -> c.Id = id)) then
            invalidArg "id" $"shutdown: no child '{id}' is declared before this operation."

        { d with Children = d.Children |> List.map (fun c -> if c.Id = id then Child.withShutdown shutdown c else c) }

/// The `supervisor` builder.
[<AutoOpen>]
module SupervisorBuilderInstance =
    /// Defines a supervisor as configuration: `supervisor { strategy ...; intensity 3 (TimeSpan.FromSeconds 5.0); worker "w" f }`.
    let supervisor = SupervisorBuilder()
