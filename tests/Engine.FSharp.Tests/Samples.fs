namespace Graph.Engine.FSharp.Tests

open Graph.Engine.FSharp

/// Small graphs defined with the DSL: the examples of docs/fsharp.md, run by the F# tests.
[<RequireQualifiedAccess>]
module Samples =
    /// The map-reduce example of docs/graphs.md in F#: `plan` sends 1, 2, 3 to the `double` worker, the
    /// updates are summed, `done` emits the total. Invoked with 0 it returns 12.
    let doubling: GraphDefinition<int, int> =
        stateGraph {
            reducer Reduce.sum
            node "plan" (Node.func (fun _ -> 0))
            node "double" (Node.worker (fun (x: int) -> x * 2))
            node "done" (Node.funcCtx (fun ctx s ->
                ctx.Emit $"total {s}"
                0))
            edge START "plan"
            route "plan" [ "double" ] (fun _ -> Next.send "double" [ 1..3 ])
            edge "double" "done"
            edge "done" END
        }
