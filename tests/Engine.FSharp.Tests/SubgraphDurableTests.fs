/// A subgraph on a durable F# parent: its own namespace, its interrupt suspends the parent, resume continues it.
module Graph.Engine.FSharp.Tests.SubgraphDurableTests

open NUnit.Framework
open FsUnit
open Graph.Engine.Checkpoints
open Graph.Engine.Graphs
open Graph.Engine.FSharp
open Graph.Engine.FSharp.Tests.TestSupport

[<Test>]
let ``an interrupt inside a subgraph suspends the parent and resuming the parent answers it`` () =
    task {
        let store = InMemoryCheckpointer()

        let child =
            stateGraph {
                reducer (fun (s: string list) u -> s @ u)
                checkpointer store
                node "ask" (Node.funcCtx (fun ctx _ -> [ "answer:" + (ctx |> NodeContext.interrupt<string> (box "name?")) ]))
                edge START "ask"
                edge "ask" END
            }
            |> GraphRun.compile

        let parent =
            stateGraph {
                reducer (fun (s: string list) u -> s @ u)
                checkpointer store
                node "sub" (Node.subgraph child id (List.skip 1))
                node "after" (Node.func (fun _ -> [ "after" ]))
                edge START "sub"
                edge "sub" "after"
                edge "after" END
            }
            |> GraphRun.compile

        let! stopped = parent |> GraphRun.run "t" [ "in" ] |> bounded
        let! childState = child |> GraphRun.getState "t|1:0:sub" |> bounded
        let! finished = parent |> GraphRun.resumeValue "t" "ada" |> bounded

        match stopped with
        | RunResult.Interrupted(_, [ i ], _, _) -> (i.Node, Interrupt.valueAs<string> i) |> should equal ("sub", Some "name?")
        | other -> failwith $"expected one interrupt, got {other}"

        childState |> Option.map _.Next |> should equal (Some [ "ask" ])
        RunResult.state finished |> should equal [ "in"; "answer:ada"; "after" ]
        do! GraphRun.dispose parent
        do! GraphRun.dispose child
    }
