namespace Graph.Engine.FSharp

open System
open System.Threading
open System.Threading.Tasks
open Graph.Engine.Checkpoints

/// F# access to checkpoint storage (`ICheckpointer`) with F# states serialized by `FSharpJson`.
/// Storage-level; for the runner's own checkpointing (resume, interrupts, state history) use `checkpointer` and `GraphRun.run`.
[<RequireQualifiedAccess>]
module CheckpointStore =
    /// A checkpoint of `state` for `threadId` (serialized with `FSharpJson.serializer`).
    let checkpoint (threadId: string) (id: int64) (parentId: int64 option) (step: int) (source: CheckpointSource) (state: 'State) =
        Checkpoint(
            ThreadId = threadId,
            Id = id,
            ParentId = Option.toNullable parentId,
            Step = step,
            StateType = Checkpoint.StateTypeNameOf typeof<'State>,
            State = ReadOnlyMemory<byte>(CheckpointSerializerExtensions.Serialize(FSharpJson.serializer, state)),
            Metadata = CheckpointMetadata(Source = source),
            CreatedAt = DateTimeOffset.UtcNow
        )

    /// Saves a checkpoint.
    let put (durability: CheckpointDurability) (checkpoint: Checkpoint) (store: ICheckpointer) : Task =
        store.PutAsync(checkpoint, durability, CancellationToken.None)

    /// The latest checkpoint of a thread, if any.
    let latest (threadId: string) (store: ICheckpointer) : Task<Checkpoint option> =
        task {
            let! found = store.GetAsync(threadId, Nullable(), CancellationToken.None)
            return Option.ofObj found
        }

    /// A thread's checkpoints, newest first.
    let history (threadId: string) (store: ICheckpointer) : Task<Checkpoint list> =
        task {
            let! all = store.ListAsync(threadId, Nullable(), Nullable(), CancellationToken.None)
            return List.ofSeq all
        }

    /// The F# state held by a checkpoint (read with `FSharpJson.serializer`).
    let readState<'State> (checkpoint: Checkpoint) : 'State = checkpoint.ReadState<'State>(FSharpJson.serializer)
