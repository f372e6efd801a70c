namespace Graph.Engine.FSharp

open System
open System.Threading.Tasks
open Graph.Engine.Actors
open Graph.Engine.Diagnostics

/// A message that was not processed, with `option` where the engine may have null.
type DeadLetterInfo =
    { Recipient: string
      Message: obj option
      Reason: DeadLetterReason
      Exception: exn option
      Timestamp: DateTimeOffset }

/// Pipe-friendly functions over an `ActorSystem`.
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module ActorSystem =
    /// A new actor system named `name` with default options.
    let create (name: string) = new ActorSystem(name)

    /// A new actor system with options (clock, logging, envelope pool, watchdog).
    let createWith (options: ActorSystemOptions) (name: string) = new ActorSystem(name, options)

    /// Every message that was not processed (dropped, rejected, stopped, handler failed), as F# records.
    let deadLetters (system: ActorSystem) : IObservable<DeadLetterInfo> =
        system.DeadLetters
        |> Observable.map (fun d ->
            { Recipient = d.Recipient
              Message = Option.ofObj d.Message
              Reason = d.Reason
              Exception = Option.ofObj d.Exception
              Timestamp = d.Timestamp })

    /// Lifecycle events (started, stopped, failed, restarted...).
    let events (system: ActorSystem) : IObservable<ActorEvent> = system.Events

    /// The live actor at `path`, if any.
    let tryFind (path: string) (system: ActorSystem) : ActorRef option = system.Find path |> Option.ofObj

    /// The live actor at `path` if it accepts `'Message`.
    let tryFindTyped<'Message> (path: string) (system: ActorSystem) : ActorRef<'Message> option =
        match system.Find path with
        | :? ActorRef<'Message> as typed -> Some typed
        | _ -> None

    /// Stops every actor (children first) and completes when all have stopped.
    let shutdown (system: ActorSystem) : Task = system.DisposeAsync().AsTask()
