namespace Graph.Engine.FSharp

open System.Collections.Generic
open System.Threading.Tasks
open Graph.Engine.Graphs

/// Pipe-friendly functions over graph definitions and compiled graphs (subject last):
/// `definition |> Graph.compile |> Graph.invoke input`.
[<RequireQualifiedAccess>]
module Graph =
    /// The engine builder (`StateGraph`) for a definition, e.g. to hand to C# code.
    let build (definition: GraphDefinition<'State, 'Update>) : StateGraph<'State, 'Update> = definition.ToStateGraph()

    /// Validates and compiles a definition with its own options (`stepLimit`, ...). Dispose the result
    /// (`Graph.dispose`, or `use` inside `task { }`) to release its node actors.
    /// <exception cref="T:Graph.Engine.Graphs.GraphValidationException">The graph is invalid; every problem is listed.</exception>
    let compile (definition: GraphDefinition<'State, 'Update>) : CompiledGraph<'State, 'Update> =
        definition.ToStateGraph().Compile(CompileConfig.toCompileOptions definition.Config)

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

    /// Mermaid flowchart of a definition, an engine builder or a compiled graph.
    let inline toMermaid (graph: ^G) : string = (^G: (member ToMermaid: unit -> string) graph)

    /// Graphviz DOT of a definition, an engine builder or a compiled graph.
    let inline toDot (graph: ^G) : string = (^G: (member ToDot: unit -> string) graph)

    /// The node names of a compiled graph, in declaration order.
    let nodeNames (graph: CompiledGraph<'State, 'Update>) = List.ofSeq graph.NodeNames

    /// Releases a compiled graph's executor and node instances.
    let dispose (graph: CompiledGraph<'State, 'Update>) : Task = graph.DisposeAsync().AsTask()
