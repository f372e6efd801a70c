namespace Graph.Engine.FSharp.Testing

open System
open System.Threading.Tasks
open Graph.Engine.Graphs
open Graph.Engine.FSharp
open Graph.Engine.Testing

/// Deterministic runs of a `stateGraph { }` definition (the engine's `GraphTest`), subject last:
/// `definition |> GraphTest.create 7 |> GraphTest.run input |> RunRecord.shouldFinishWith expected`.
[<RequireQualifiedAccess>]
module GraphTest =
    /// Compiles `definition` with its own options (checkpointer, interrupts, step limit; its clock becomes the
    /// test's) for deterministic runs configured by `config`. Dispose the result (`use`).
    /// <exception cref="T:Graph.Engine.Graphs.GraphValidationException">The definition is invalid.</exception>
    let createWith (config: TestConfig) (definition: GraphDefinition<'State, 'Update>) : GraphTest<'State, 'Update> =
        let graph = definition.ToStateGraph()
        let options = CompileConfig.toCompileOptions definition.Config
        Graph.Engine.Testing.GraphTest.Create(graph, config.Seed, options, Option.toObj config.Clock)

    /// `createWith` with seed `seed` on a new `SimulatedClock` (`GraphTest.clock` reads it).
    let create (seed: int) (definition: GraphDefinition<'State, 'Update>) = createWith (TestConfig.seed seed) definition

    /// Runs the graph from `input` on the test's thread and records it; a failure is the record's outcome, not an exception.
    let run (input: 'State) (test: GraphTest<'State, 'Update>) : RunRecord<'State, 'Update> = test.Run(input)

    /// `run` with per-run options (thread id, interrupts, timeout, cancellation).
    let runWith (config: RunConfig) (input: 'State) (test: GraphTest<'State, 'Update>) =
        test.Run(input, RunConfig.toRunOptions config, config.CancellationToken)

    /// Resumes thread `threadId` (needs a `checkpointer`) and records the run.
    let resume (threadId: string) (resumption: Resumption) (test: GraphTest<'State, 'Update>) =
        test.Resume(threadId, Resumption.toResume resumption)

    /// `resume` with per-run options.
    let resumeWith (config: RunConfig) (threadId: string) (resumption: Resumption) (test: GraphTest<'State, 'Update>) =
        test.Resume(threadId, Resumption.toResume resumption, RunConfig.toRunOptions config)

    /// Replaces node `node` by `stub` (state to update) for the next runs, without compiling again.
    /// <exception cref="T:System.ArgumentException">The graph has no such node, or it is a worker.</exception>
    let stub (node: string) (stub: 'State -> 'Update) (test: GraphTest<'State, 'Update>) =
        test.Stub(node, Func<'State, NodeResult<'Update>>(fun s -> NodeResult<'Update>.FromUpdate(stub s)))

    /// `stub` returning a `NodeResult` (an update or a `Command`).
    let stubResult (node: string) (stub: 'State -> NodeResult<'Update>) (test: GraphTest<'State, 'Update>) =
        test.Stub(node, Func<'State, NodeResult<'Update>>(stub))

    /// `stub` as a task that receives the node's context (to emit, heartbeat, or wait on the test's clock).
    let stubTask (node: string) (stub: NodeContext -> 'State -> Task<'Update>) (test: GraphTest<'State, 'Update>) =
        let body =
            Func<'State, NodeContext, ValueTask<NodeResult<'Update>>>(fun s ctx ->
                ValueTask<NodeResult<'Update>>(
                    task {
                        let! update = stub ctx s
                        return NodeResult<'Update>.FromUpdate update
                    }))

        test.Stub(node, body)

    /// Replaces worker node `node` by `stub` (Send argument to update).
    /// <exception cref="T:System.ArgumentException">The graph has no such worker, or it takes another argument type.</exception>
    let stubWorker (node: string) (stub: 'Arg -> 'Update) (test: GraphTest<'State, 'Update>) =
        test.StubWorker<'Arg>(node, Func<'Arg, NodeResult<'Update>>(fun a -> NodeResult<'Update>.FromUpdate(stub a)))

    /// Replaces node `node` inside the child graph of subgraph node `subgraph` by `stub` (child state to child update),
    /// without compiling either graph again; from then on that child runs on the test's scheduler and clock.
    /// <exception cref="T:System.ArgumentException">`subgraph` is not a subgraph node of these child types, or the child has no node `node`.</exception>
    let stubIn (subgraph: string) (node: string) (stub: 'ChildState -> 'ChildUpdate) (test: GraphTest<'State, 'Update>) =
        test
            .Subgraph<'ChildState, 'ChildUpdate>(subgraph)
            .Stub(node, Func<'ChildState, NodeResult<'ChildUpdate>>(fun s -> NodeResult<'ChildUpdate>.FromUpdate(stub s)))
        |> ignore

        test

    /// The stub table of subgraph node `subgraph`'s child (the kit's `NodeStubs`: `Stub`, `StubWorker`, `RemoveStub`,
    /// `Subgraph` for a subgraph inside it).
    /// <exception cref="T:System.ArgumentException">`subgraph` is not a subgraph node of these child types.</exception>
    let subgraph<'ChildState, 'ChildUpdate, 'State, 'Update> (subgraph: string) (test: GraphTest<'State, 'Update>) : NodeStubs<'ChildState, 'ChildUpdate> =
        test.Subgraph<'ChildState, 'ChildUpdate>(subgraph)

    /// Calls node `node` once on its own (as `Isolated.runNode`) on the test's scheduler, with the test's stubs,
    /// including those inside a subgraph node's child.
    /// <exception cref="T:System.ArgumentException">The graph has no such node.</exception>
    let runNode (node: string) (state: 'State) (test: GraphTest<'State, 'Update>) : NodeRun<'Update> = test.RunNode(node, state)

    /// `runNode` with a context (`IsolatedContext(ThreadId = "t", ResumeValues = ...)`).
    let runNodeWith (context: IsolatedContext) (node: string) (state: 'State) (test: GraphTest<'State, 'Update>) : NodeRun<'Update> =
        test.RunNode(node, state, context)

    /// Puts node `node` back; `false` when it had no stub.
    let removeStub (node: string) (test: GraphTest<'State, 'Update>) : bool = test.RemoveStub node

    /// The tasks in the order they started, across the test's runs (`"step:index:node"` labels).
    let trace (test: GraphTest<'State, 'Update>) : string list = List.ofSeq test.Scheduler.Trace

    /// The test's clock: it jumps to the next timer when nothing is ready.
    let clock (test: GraphTest<'State, 'Update>) : SimulatedClock = test.Clock

    /// Runs `body` against the compiled graph on the test's scheduler (reading state or history between runs).
    let execute (body: CompiledGraph<'State, 'Update> -> Task<'T>) (test: GraphTest<'State, 'Update>) : 'T =
        test.Execute(Func<CompiledGraph<'State, 'Update>, Task<'T>>(body))
