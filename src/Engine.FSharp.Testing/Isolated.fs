namespace Graph.Engine.FSharp.Testing

open System.Threading.Tasks
open Graph.Engine.Graphs
open Graph.Engine.Testing

/// One node of a compiled graph on its own (the kit's `NodeIsolation`): no step, no routing, no retry or timeout, no
/// checkpoint. For unit tests of a node's logic inside its real graph.
[<RequireQualifiedAccess>]
module Isolated =
    /// Calls node `node` once with `state` and the context `context` (`IsolatedContext(Step = 3, ResumeValues = ...)`)
    /// and returns what it returned (`NodeRun.Update`, or the `Command` in `Result`) and what it emitted.
    /// <exception cref="T:System.ArgumentException">The graph has no such node, or a worker's argument has the wrong type.</exception>
    let runNodeWith (context: IsolatedContext) (node: string) (state: 'State) (graph: CompiledGraph<'State, 'Update>) : Task<NodeRun<'Update>> =
        graph.RunNodeAsync(node, state, context)

    /// `runNodeWith` the default context (step 1, attempt 1, no thread, no resume values).
    let runNode (node: string) (state: 'State) (graph: CompiledGraph<'State, 'Update>) = runNodeWith (IsolatedContext()) node state graph

    /// Calls worker node `node` once with the Send argument `argument`.
    let runWorker (node: string) (argument: 'Arg) (graph: CompiledGraph<'State, 'Update>) =
        runNodeWith (IsolatedContext(Argument = box argument)) node Unchecked.defaultof<'State> graph
