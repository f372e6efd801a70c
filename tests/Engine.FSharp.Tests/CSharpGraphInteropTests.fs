/// F# consuming a graph built with the C# API, and the F# sample graph.
module Graph.Engine.FSharp.Tests.CSharpGraphInteropTests

open System
open System.Linq
open NUnit.Framework
open FsUnit
open Graph.Engine.Graphs
open Graph.Engine.FSharp
open Graph.Engine.FSharp.Tests.TestSupport

/// The docs/graphs.md example, built with the C# API exactly as a C# user would.
let private csharpGraph () =
    StateGraph<int, int>(Reducers.Sum<int>())
        .AddNode("plan", Func<int, int>(fun _ -> 0))
        .AddWorker<int>("double", Func<int, int>(fun x -> x * 2))
        .AddNode("done", Func<int, NodeContext, int>(fun _ ctx -> ctx.Emit "done"; 0))
        .AddEdge(StateGraph.Start, "plan")
        .AddConditionalEdges("plan", Func<int, Route>(fun _ -> Route.Sends(Enumerable.Range(1, 3).Select(fun i -> Send.To("double", i)))), "double")
        .AddEdge("double", "done")
        .AddEdge("done", StateGraph.End)

[<Test>]
let ``a graph built with the C# API runs through the F# Graph module`` () =
    task {
        use compiled = csharpGraph().Compile()
        let! result = compiled |> GraphRun.invoke 0 |> bounded
        result |> should equal 12
        let! events = compiled |> GraphRun.collect 0 |> bounded

        events
        |> List.choose (function RunEvent.Custom(_, node, _, payload) -> Some(node, payload) | _ -> None)
        |> should equal [ "done", Some(box "done") ]

        events
        |> List.choose (function RunEvent.StepFinished(_, nodes, _) -> Some nodes | _ -> None)
        |> should equal [ [ "plan" ]; [ "double"; "double"; "double" ]; [ "done" ] ]
    }

[<Test>]
let ``the F# sample and the C# graph render and run the same`` () =
    task {
        use fromFSharp = GraphRun.compile Samples.doubling
        use fromCSharp = csharpGraph().Compile()
        GraphRun.toMermaid fromFSharp |> should equal (GraphRun.toMermaid fromCSharp)
        let! a = fromFSharp |> GraphRun.invoke 0 |> bounded
        let! b = fromCSharp |> GraphRun.invoke 0 |> bounded
        a |> should equal b
    }
