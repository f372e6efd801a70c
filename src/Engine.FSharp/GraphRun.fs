namespace Graph.Engine.FSharp

open System.Collections.Generic
open System.Threading.Tasks
open Graph.Engine.Graphs

/// Pipe-friendly functions over graph definitions and compiled graphs (subject last):
/// `definition |> GraphRun.compile |> GraphRun.invoke input`. Arguments go thread id, then checkpoint id; a `...With`
/// function takes a `RunConfig` (or other options) first. Named `GraphRun` so it does not hide the root namespace `Graph`.
[<RequireQualifiedAccess>]
module GraphRun =
    /// The engine builder (`StateGraph`) for a definition, e.g. to hand to C# code.
    let build (definition: GraphDefinition<'State, 'Update>) : StateGraph<'State, 'Update> = definition.ToStateGraph()

    /// Validates and compiles a definition with its own options (`stepLimit`, ...). Dispose the result
    /// (`GraphRun.dispose`, or `use` inside `task { }`) to release its node actors.
    /// <exception cref="T:Graph.Engine.Graphs.GraphValidationException">The graph is invalid; every problem is listed.</exception>
    let compile (definition: GraphDefinition<'State, 'Update>) : CompiledGraph<'State, 'Update> =
        definition.ToStateGraph().Compile(CompileConfig.toCompileOptions definition.Config)

    /// Drains the graph for a rolling restart: it starts no new runs, each durable run stops at its next step boundary
    /// (`RunResult.Drained`, resumable elsewhere) and runs without a checkpointer finish. `true` when every run ended
    /// within `timeout`. Dispose the graph afterwards.
    let drain (timeout: System.TimeSpan) (graph: CompiledGraph<'State, 'Update>) : Task<bool> = graph.DrainAsync(timeout)

    /// Runs the graph from `input` to its end and returns the final state.
    let invoke (input: 'State) (graph: CompiledGraph<'State, 'Update>) : Task<'State> = graph.InvokeAsync(input)

    /// `invoke` with per-run options (ids, timeout, step limit, cancellation).
    let invokeWith (config: RunConfig) (input: 'State) (graph: CompiledGraph<'State, 'Update>) : Task<'State> =
        graph.InvokeAsync(input, RunConfig.toRunOptions config, config.CancellationToken)

    /// `invoke` as an `Async`, cancelled with the async's cancellation token.
    let invokeAsync (input: 'State) (graph: CompiledGraph<'State, 'Update>) : Async<'State> =
        async {
            let! token = Async.CancellationToken
            return! graph.InvokeAsync(input, null, token) |> Async.AwaitTask
        }

    /// Runs the graph and yields its events as F# unions, lazily. Stopping the enumeration cancels the run; a
    /// failed run yields `RunFailed` and then throws.
    let streamWith (config: RunConfig) (input: 'State) (graph: CompiledGraph<'State, 'Update>) : IAsyncEnumerable<RunEvent<'State, 'Update>> =
        graph.StreamAsync(input, RunConfig.toRunOptions config, config.CancellationToken)
        |> AsyncStream.map RunEvent.ofGraphEvent

    /// `streamWith` with stream options: which kinds of events (`StreamModes`), the buffer's bound and what a slow
    /// consumer does to the run (`StreamOverflow`), and a replay buffer for `reattach`.
    let streamWithOptions (streamOptions: StreamOptions) (config: RunConfig) (input: 'State) (graph: CompiledGraph<'State, 'Update>) : IAsyncEnumerable<RunEvent<'State, 'Update>> =
        graph.StreamAsync(input, streamOptions, RunConfig.toRunOptions config, config.CancellationToken)
        |> AsyncStream.map RunEvent.ofGraphEvent

    /// Continues the stream of a durable run on `threadId` whose consumer left early, after event `afterEventId`
    /// (`GraphEvent.Id`; the raw events, since ids live on them).
    let reattach (threadId: string) (afterEventId: int64) (graph: CompiledGraph<'State, 'Update>) : IAsyncEnumerable<GraphEvent> =
        graph.ReattachAsync(threadId, afterEventId)

    /// `streamWith` with default run options.
    let stream (input: 'State) (graph: CompiledGraph<'State, 'Update>) = streamWith RunConfig.defaults input graph

    /// The events of a run as a cold `IObservable`: each subscription starts a run; disposing it cancels the run.
    /// A failed run sends `RunFailed` and then `OnError`.
    let observe (input: 'State) (graph: CompiledGraph<'State, 'Update>) : System.IObservable<RunEvent<'State, 'Update>> =
        graph.StreamAsync(input) |> AsyncStream.map RunEvent.ofGraphEvent |> AsyncStream.toObservable

    /// Runs the graph and returns all its events. A failed run does not throw here: the list ends with `RunFailed`.
    let collectWith (config: RunConfig) (input: 'State) (graph: CompiledGraph<'State, 'Update>) : Task<RunEvent<'State, 'Update> list> =
        task {
            let events = ResizeArray()

            try
                do! streamWith config input graph |> AsyncStream.iter events.Add config.CancellationToken
            with _ when events.Count > 0 && (match events[events.Count - 1] with RunEvent.RunFailed _ -> true | _ -> false) ->
                ()

            return List.ofSeq events
        }

    /// `collectWith` with default run options.
    let collect (input: 'State) (graph: CompiledGraph<'State, 'Update>) = collectWith RunConfig.defaults input graph

    // Durable runs: need a `checkpointer` in the definition and a thread id (see docs/durability.md).

    /// Starts a new run from `input` (`ThreadId`, interrupt lists, durability from `config`) and says how it ended:
    /// `RunResult.Completed` or `RunResult.Interrupted` (no exception for interrupts, unlike `invoke`).
    let runWith (config: RunConfig) (input: 'State) (graph: CompiledGraph<'State, 'Update>) : Task<RunResult<'State>> =
        task {
            let! result = graph.RunAsync(input, RunConfig.toRunOptions config, config.CancellationToken)
            return RunResult.ofEngine result
        }

    /// Starts a new run from `input` on thread `threadId` (saved when the graph has a `checkpointer`).
    let run (threadId: string) (input: 'State) (graph: CompiledGraph<'State, 'Update>) =
        runWith (RunConfig.thread threadId) input graph

    /// Continues thread `threadId` from its latest checkpoint (or `config.CheckpointId`: replay from a fork of it).
    /// A thread whose run has finished raises `GraphThreadFinishedException`: start a new run with `GraphRun.run`.
    let resumeWith (config: RunConfig) (threadId: string) (resumption: Resumption) (graph: CompiledGraph<'State, 'Update>) : Task<RunResult<'State>> =
        task {
            let options = RunConfig.toRunOptions { config with ThreadId = Some threadId }
            let! result = graph.ResumeAsync(threadId, Resumption.toResume resumption, options, config.CancellationToken)
            return RunResult.ofEngine result
        }

    /// Continues thread `threadId` from its latest checkpoint: `Resumption.Continue`, `Resumption.value v`,
    /// `Resumption.byId [ id, box v ]`.
    let resume (threadId: string) (resumption: Resumption) (graph: CompiledGraph<'State, 'Update>) =
        resumeWith RunConfig.defaults threadId resumption graph

    /// Continues thread `threadId`, whose one pending dynamic interrupt returns `value` in the node.
    let resumeValue (threadId: string) (value: 'Value) (graph: CompiledGraph<'State, 'Update>) =
        resume threadId (Resumption.value value) graph

    /// Continues thread `threadId` with new input, LangGraph's chat pattern: `input` is reduced into the thread's
    /// latest state as START's update (earlier turns are kept) and the graph runs again from START's edges. On a thread
    /// without checkpoints the run starts from `initial` with `input` reduced into it, so every turn is the same call.
    let continueThreadWith (config: RunConfig) (threadId: string) (initial: 'State) (input: 'Update) (graph: CompiledGraph<'State, 'Update>) : Task<RunResult<'State>> =
        task {
            let options = RunConfig.toRunOptions { config with ThreadId = Some threadId }
            let! result = graph.ContinueAsync(threadId, initial, input, options, config.CancellationToken)
            return RunResult.ofEngine result
        }

    /// `continueThreadWith` with the default configuration.
    let continueThread (threadId: string) (initial: 'State) (input: 'Update) (graph: CompiledGraph<'State, 'Update>) =
        continueThreadWith RunConfig.defaults threadId initial input graph

    /// `resume` as a stream of events (an interrupted run ends with `RunEvent.Interrupted`, without an exception).
    let streamResumeWith (config: RunConfig) (threadId: string) (resumption: Resumption) (graph: CompiledGraph<'State, 'Update>) : IAsyncEnumerable<RunEvent<'State, 'Update>> =
        let options = RunConfig.toRunOptions { config with ThreadId = Some threadId }
        graph.StreamResumeAsync(threadId, Resumption.toResume resumption, options, config.CancellationToken)
        |> AsyncStream.map RunEvent.ofGraphEvent

    /// `streamResumeWith` with default run options.
    let streamResume (threadId: string) (resumption: Resumption) (graph: CompiledGraph<'State, 'Update>) =
        streamResumeWith RunConfig.defaults threadId resumption graph

    /// The thread's state at checkpoint `checkpointId` (`None` for an unknown thread or id).
    let getStateAt (threadId: string) (checkpointId: int64) (graph: CompiledGraph<'State, 'Update>) : Task<Snapshot<'State> option> =
        task {
            let! snapshot = graph.GetStateAsync(threadId, System.Nullable checkpointId)
            return snapshot |> Option.ofObj |> Option.map Snapshot.ofEngine
        }

    /// The thread's latest state (`None` for an unknown thread).
    let getState (threadId: string) (graph: CompiledGraph<'State, 'Update>) : Task<Snapshot<'State> option> =
        task {
            let! snapshot = graph.GetStateAsync(threadId)
            return snapshot |> Option.ofObj |> Option.map Snapshot.ofEngine
        }

    /// At most `limit` snapshots of the thread older than checkpoint `before`, newest first (all branches).
    let historyWith (limit: int option) (before: int64 option) (threadId: string) (graph: CompiledGraph<'State, 'Update>) : Task<Snapshot<'State> list> =
        task {
            let! snapshots = graph.GetStateHistoryAsync(threadId, Option.toNullable limit, Option.toNullable before)
            return snapshots |> Seq.map Snapshot.ofEngine |> List.ofSeq
        }

    /// Every snapshot of the thread, newest first (empty for an unknown thread).
    let history (threadId: string) (graph: CompiledGraph<'State, 'Update>) = historyWith None None threadId graph

    /// As if `asNode` had returned `update` from checkpoint `checkpointId`: a new checkpoint (`Source = Update`)
    /// becomes the latest (a branch when `checkpointId` is not the latest); `resume` runs what it planned.
    let updateStateAt (threadId: string) (checkpointId: int64) (asNode: string) (update: 'Update) (graph: CompiledGraph<'State, 'Update>) : Task<Snapshot<'State>> =
        task {
            let! snapshot = graph.UpdateStateAsync(threadId, update, asNode, System.Nullable checkpointId)
            return Snapshot.ofEngine snapshot
        }

    /// As if `asNode` (or `START`) had returned `update` from the thread's latest checkpoint.
    let updateState (threadId: string) (asNode: string) (update: 'Update) (graph: CompiledGraph<'State, 'Update>) : Task<Snapshot<'State>> =
        task {
            let! snapshot = graph.UpdateStateAsync(threadId, update, asNode)
            return Snapshot.ofEngine snapshot
        }

    /// A copy of checkpoint `checkpointId` (`Source = Fork`) becomes the thread's latest; history is not rewritten.
    let fork (threadId: string) (checkpointId: int64) (graph: CompiledGraph<'State, 'Update>) : Task<Snapshot<'State>> =
        task {
            let! snapshot = graph.ForkAsync(threadId, checkpointId)
            return Snapshot.ofEngine snapshot
        }

    /// Mermaid flowchart of a definition, an engine builder or a compiled graph.
    let inline toMermaid (graph: ^G) : string = (^G: (member ToMermaid: unit -> string) graph)

    /// Graphviz DOT of a definition, an engine builder or a compiled graph.
    let inline toDot (graph: ^G) : string = (^G: (member ToDot: unit -> string) graph)

    /// The node names of a compiled graph, in declaration order.
    let nodeNames (graph: CompiledGraph<'State, 'Update>) = List.ofSeq graph.NodeNames

    /// Releases a compiled graph's executor and node instances.
    let dispose (graph: CompiledGraph<'State, 'Update>) : Task = graph.DisposeAsync().AsTask()
