/// Per-join branch-failure policies (`joinWith`) and the compile options F# reaches through `CompileConfig`.
module Graph.Engine.FSharp.Tests.JoinFailureTests

open System.Collections.Concurrent
open NUnit.Framework
open FsUnit
open Graph.Engine.Checkpoints
open Graph.Engine.Graphs
open Graph.Engine.FSharp
open Graph.Engine.FSharp.Tests.TestSupport

/// START -> a, b, c; `joinWith [a; b] "ab" failures`; c -> END; the graph's policy stays FailFast.
/// Node "b" throws while `broken` holds it.
let private twoJoins (runs: ConcurrentDictionary<string, int>) (broken: ConcurrentDictionary<string, bool>) failures =
    let branch name =
        Node.func (fun (_: string list) ->
            runs.AddOrUpdate(name, 1, fun _ n -> n + 1) |> ignore
            if broken.ContainsKey name then invalidOp $"{name} broke" else [ name ])

    stateGraph {
        reducer (fun (s: string list) (u: string list) -> s @ u)
        checkpointer (InMemoryCheckpointer())
        node "a" (branch "a")
        node "b" (branch "b")
        node "c" (branch "c")
        node "ab" (Node.func (fun (s: string list) -> [ "ab saw " + String.concat "," s ]))
        fanOut START [ "a"; "b"; "c" ]
        joinWith [ "a"; "b" ] "ab" failures
        edge "c" END
        edge "ab" END
    }

[<Test>]
let ``joinWith Collect hands the join each source's error as a value while the graph fails fast`` () =
    task {
        let broken = ConcurrentDictionary<string, bool>()
        broken["b"] <- true
        let graph =
            twoJoins (ConcurrentDictionary()) broken (JoinFailures.Collect(fun f -> [ $"{f.Node} failed: {f.Error.Message}" ]))
            |> GraphRun.compile

        let! result = graph |> GraphRun.run "t" [] |> bounded
        result |> RunResult.state |> should equal [ "a"; "b failed: b broke"; "c"; "ab saw a,b failed: b broke,c" ]
        do! GraphRun.dispose graph
    }

[<Test>]
let ``joinWith ContinueOthers lets the siblings finish and a resume reruns only the failed source`` () =
    ControlTests.continueOthersThenResume (fun runs broken -> twoJoins runs broken JoinFailures.ContinueOthers) [ "a"; "b"; "c"; "ab saw a,b,c" ]

[<Test>]
let ``join keeps the graph's policy and the definition records each join's policy`` () =
    task {
        let broken = ConcurrentDictionary<string, bool>()
        broken["b"] <- true
        let definition = twoJoins (ConcurrentDictionary()) broken JoinFailures.GraphPolicy
        definition.Joins |> List.map (fun j -> j.Sources, j.Target) |> should equal [ [ "a"; "b" ], "ab" ]
        definition.Shape.Joins |> should equal [ [ "a"; "b" ], "ab" ]

        let graph = definition |> GraphRun.compile
        let! failed = throwsAsync<NodeFailedException, _> (fun () -> graph |> GraphRun.run "t" [])
        failed.Message |> should haveSubstring "b broke"
        do! GraphRun.dispose graph
    }

[<Test>]
let ``a node feeding two joins with different policies fails the build naming it`` () =
    let definition =
        stateGraph {
            reducer (fun (s: int) (u: int) -> s + u)
            node "a" (Node.func (fun _ -> 1))
            node "b" (Node.func (fun _ -> 1))
            node "x" (Node.func (fun _ -> 1))
            node "y" (Node.func (fun _ -> 1))
            fanOut START [ "a"; "b" ]
            joinWith [ "a"; "b" ] "x" JoinFailures.ContinueOthers
            joinWith [ "a" ] "y" JoinFailures.FailFast
            edge "x" END
            edge "y" END
        }

    let error = Assert.Throws<GraphValidationException>(fun () -> definition |> GraphRun.compile |> ignore)
    error.Message |> should haveSubstring "Node 'a' feeds joins with different branch-failure policies"

[<Test>]
let ``maxNodeParallelism and stateMigrations reach the engine's compile options`` () =
    let migrations = StateMigrations.Empty.Add(fun (old: int) -> string old)
    let definition =
        stateGraph {
            reducer (fun (s: string) (u: string) -> u)
            maxNodeParallelism 8
            stateMigrations migrations
        }

    let options = CompileConfig.toCompileOptions definition.Config
    options.MaxNodeParallelism |> should equal 8
    options.StateMigrations |> should be (sameAs migrations)
    (CompileConfig.toCompileOptions CompileConfig.defaults).MaxNodeParallelism |> should equal GraphCompileOptions.Default.MaxNodeParallelism
