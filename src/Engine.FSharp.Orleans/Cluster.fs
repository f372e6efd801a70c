namespace Graph.Engine.FSharp.Orleans

open System
open System.Collections.Generic
open System.Threading.Tasks
open Microsoft.Extensions.DependencyInjection
open Orleans
open Orleans.Hosting
open Orleans.Serialization
open Graph.Engine.Graphs
open Graph.Engine.FSharp
open Graph.Engine.Orleans

/// `stateGraph { }` definitions on an Orleans cluster (Graph.Engine.Orleans), subject last: silos register
/// definitions with `Cluster.addGraph`; a client reaches one with `Cluster.graph` and runs it with the bindings'
/// `RunConfig`, `Resumption`, `RunResult` and `Snapshot`. See docs/scale-out.md for fences, failover and durability.
[<RequireQualifiedAccess>]
module Cluster =
    // An F# host has no Orleans code generator to list Graph.Engine.Orleans among its application parts, so the
    // thread grain and its interface would not be found: add the assembly's manifest by hand.
    let private addEngineParts (services: IServiceCollection) =
        services.AddSerializer(fun serializer -> serializer.AddAssembly(typeof<ClusterGraphOptions>.Assembly) |> ignore)
        |> ignore

    /// Registers `definition` under `name` in a silo: each silo compiles it once with its own options (its
    /// checkpointer must be one store all silos share, e.g. PostgreSQL) and disposes it when the silo stops.
    let addGraph (name: string) (definition: GraphDefinition<'State, 'Update>) (builder: ISiloBuilder) : ISiloBuilder =
        addEngineParts builder.Services
        builder.AddGraph(name, Func<IServiceProvider, CompiledGraph<'State, 'Update>>(fun _ -> GraphRun.compile definition))

    /// Makes a cluster client of an F# host able to call the graphs' grains (`clientBuilder |> Cluster.addClient`).
    let addClient (builder: IClientBuilder) : IClientBuilder =
        addEngineParts builder.Services
        builder

    /// The client options for F# graphs: states, updates and resume values travel with `FSharpJson.serializer`, the
    /// bindings' default, so unions, options and records round-trip as the silos write them.
    let defaults = ClusterGraphOptions(Serializer = FSharpJson.serializer)

    /// Graph `name` on the cluster `grains` reaches (a cluster client's `IGrainFactory`), with `options`.
    let graphWith<'State, 'Update> (options: ClusterGraphOptions) (grains: IGrainFactory) (name: string) =
        ClusterGraph<'State, 'Update>(grains, name, options)

    /// Graph `name` on the cluster, with `Cluster.defaults`.
    let graph<'State, 'Update> (grains: IGrainFactory) (name: string) = graphWith<'State, 'Update> defaults grains name

    /// Runs the graph from `input` on a new thread and returns the final state.
    let invoke (input: 'State) (graph: ClusterGraph<'State, 'Update>) : Task<'State> = graph.InvokeAsync(input)

    /// Runs the graph from `input` with per-run options (thread, double texting, cancellation).
    let runWith (config: RunConfig) (input: 'State) (graph: ClusterGraph<'State, 'Update>) : Task<RunResult<'State>> =
        task {
            let! result = graph.RunAsync(input, RunConfig.toRunOptions config, config.CancellationToken)
            return RunResult.ofEngine result
        }

    /// Runs the graph from `input` on thread `threadId`; an interrupt is a `RunResult.Interrupted`.
    let run (threadId: string) (input: 'State) (graph: ClusterGraph<'State, 'Update>) = runWith (RunConfig.thread threadId) input graph

    /// Runs the graph from `input` in the cluster and yields its events as F# unions, lazily (the grain's stream).
    /// Stopping the enumeration cancels the run; a stream does not survive a failover (the run itself does, on a
    /// survivor, and the enumeration throws).
    let streamWith (config: RunConfig) (input: 'State) (graph: ClusterGraph<'State, 'Update>) : IAsyncEnumerable<RunEvent<'State, 'Update>> =
        graph.StreamAsync(input, RunConfig.toRunOptions config, config.CancellationToken)
        |> AsyncStream.map RunEvent.ofGraphEvent

    /// `streamWith` on thread `threadId`.
    let stream (threadId: string) (input: 'State) (graph: ClusterGraph<'State, 'Update>) =
        streamWith (RunConfig.thread threadId) input graph

    /// Continues thread `threadId` with per-run options.
    let resumeWith (config: RunConfig) (threadId: string) (resumption: Resumption) (graph: ClusterGraph<'State, 'Update>) : Task<RunResult<'State>> =
        task {
            let! result =
                graph.ResumeAsync(threadId, Resumption.toResume resumption, RunConfig.toRunOptions config, config.CancellationToken)

            return RunResult.ofEngine result
        }

    /// Continues thread `threadId` from its latest checkpoint.
    let resume (threadId: string) (resumption: Resumption) (graph: ClusterGraph<'State, 'Update>) =
        resumeWith RunConfig.defaults threadId resumption graph

    /// The latest snapshot of thread `threadId`, `None` when it has none.
    let getState (threadId: string) (graph: ClusterGraph<'State, 'Update>) : Task<Snapshot<'State> option> =
        task {
            let! snapshot = graph.GetStateAsync(threadId)
            return snapshot |> Option.ofObj |> Option.map Snapshot.ofEngine
        }

    /// Thread `threadId`'s snapshots, newest first.
    let history (threadId: string) (graph: ClusterGraph<'State, 'Update>) : Task<Snapshot<'State> list> =
        task {
            let! snapshots = graph.GetStateHistoryAsync(threadId)
            return snapshots |> Seq.map Snapshot.ofEngine |> List.ofSeq
        }

    /// As if `asNode` had returned `update` on thread `threadId`: a new latest checkpoint.
    let updateState (threadId: string) (asNode: string) (update: 'Update) (graph: ClusterGraph<'State, 'Update>) : Task<Snapshot<'State>> =
        task {
            let! snapshot = graph.UpdateStateAsync(threadId, update, asNode)
            return Snapshot.ofEngine snapshot
        }

    /// A copy of checkpoint `checkpointId` of thread `threadId` becomes its latest.
    let fork (threadId: string) (checkpointId: int64) (graph: ClusterGraph<'State, 'Update>) : Task<Snapshot<'State>> =
        task {
            let! snapshot = graph.ForkAsync(threadId, checkpointId)
            return Snapshot.ofEngine snapshot
        }
