namespace Graph.Engine.FSharp

open System
open System.Threading
open System.Threading.Tasks
open Graph.Engine.Actors

/// Spawning and messaging actors with F# functions and `task { }` (Akkling style; subject last).
[<RequireQualifiedAccess>]
module Actor =
    let private handlerOf (handler: ActorContext -> 'Message -> Task<unit>) =
        Func<'Message, ActorContext, ValueTask>(fun message context -> ValueTask(handler context message :> Task))

    /// An actor instance whose handler is `handler` (shared with the `Child` module's factories).
    let internal actorOf (handler: ActorContext -> 'Message -> Task<unit>) =
        { new IActor<'Message> with
            member _.ReceiveAsync(message, context) = ValueTask(handler context message :> Task) }

    /// Spawns a top-level actor that handles each message with `handler`, one at a time.
    let spawn (system: ActorSystem) (name: string) (handler: 'Message -> Task<unit>) : ActorRef<'Message> =
        system.Spawn<'Message>(name, handlerOf (fun _ m -> handler m))

    /// `spawn` with options (mailbox capacity and overflow policy, parallelism, drain timeout).
    let spawnWith (options: ActorOptions) (system: ActorSystem) (name: string) (handler: 'Message -> Task<unit>) =
        system.Spawn<'Message>(name, handlerOf (fun _ m -> handler m), options)

    /// Spawns a top-level actor whose handler also receives its context (self, children, cancellation); `...Ctx`
    /// as in `Node.funcCtx`, since a `...With` function takes options.
    let spawnCtx (system: ActorSystem) (name: string) (handler: ActorContext -> 'Message -> Task<unit>) =
        system.Spawn<'Message>(name, handlerOf handler)

    /// Spawns an actor from a factory: each incarnation (the first, and every restart) calls `create ()` for a fresh
    /// handler, so state captured by the handler starts over after a restart.
    let spawnFrom (system: ActorSystem) (name: string) (create: unit -> ActorContext -> 'Message -> Task<unit>) =
        system.Spawn<'Message>(name, Func<IActor<'Message>>(fun () -> actorOf (create ())))

    /// Spawns a child of the actor whose context this is.
    let spawnChild (context: ActorContext) (name: string) (handler: ActorContext -> 'Message -> Task<unit>) =
        context.Spawn<'Message>(name, handlerOf handler)

    /// Sends without waiting; throws `MailboxFullException` when a `Reject` (or full `Block`) mailbox refuses it.
    let tell (message: 'Message) (actor: ActorRef<'Message>) = actor.Tell message

    /// Offers without waiting or throwing; says what happened.
    let post (message: 'Message) (actor: ActorRef<'Message>) : PostResult = actor.TryPost message

    /// Sends, waiting for mailbox space under `Block` (back-pressure).
    let send (message: 'Message) (actor: ActorRef<'Message>) : Task = actor.SendAsync(message).AsTask()

    /// Request/reply: `createMessage` wraps the reply channel; fails with `TimeoutException` after `timeout`.
    let ask (timeout: TimeSpan) (createMessage: ReplyChannel<'Reply> -> 'Message) (actor: ActorRef<'Message>) : Task<'Reply> =
        actor.AskAsync(Func<ReplyChannel<'Reply>, 'Message>(createMessage), timeout, CancellationToken.None)

    /// `ask` as an `Async`, cancelled with the async.
    let askAsync (timeout: TimeSpan) (createMessage: ReplyChannel<'Reply> -> 'Message) (actor: ActorRef<'Message>) : Async<'Reply> =
        async {
            let! token = Async.CancellationToken
            return! actor.AskAsync(Func<ReplyChannel<'Reply>, 'Message>(createMessage), timeout, token) |> Async.AwaitTask
        }

    /// Answers an ask (ignored if the ask already ended).
    let reply (value: 'Reply) (channel: ReplyChannel<'Reply>) = channel.Reply value |> ignore

    /// Stops the actor (children first), draining its mailbox within its drain timeout.
    let stop (actor: ActorRef) : Task = actor.StopAsync()

    /// `stop` as an `Async`: once it has started, cancelling it ends the wait, not the stop, which runs to the end.
    let stopAsync (actor: ActorRef) : Async<unit> =
        async {
            let! token = Async.CancellationToken
            return! actor.StopAsync(Nullable(), token) |> Async.AwaitTask
        }

    /// The actor's path, such as `/system/parent/child`.
    let path (actor: ActorRef) = actor.Path

    /// The actor's live children.
    let children (actor: ActorRef) = List.ofSeq (actor.GetChildren())

    /// The actor's parent (`None` for the root).
    let parent (actor: ActorRef) = Option.ofObj actor.Parent
