/// The graph layer's semantic cases (tests/Engine.CSharp.Tests/Graphs/StateGraphTests.cs) written in the DSL,
/// with the same expected results.
module Graph.Engine.FSharp.Tests.StateGraphBuilderTests

open System.Threading
open System.Threading.Tasks
open NUnit.Framework
open FsUnit
open Graph.Engine.Graphs
open Graph.Engine.FSharp
open Graph.Engine.FSharp.Tests.TestSupport

let private run input definition =
    task {
        let compiled = GraphRun.compile definition

        try
            return! compiled |> GraphRun.invoke input |> bounded
        finally
            waitBounded (GraphRun.dispose compiled)
    }

[<Test>]
let ``a chain runs each node once in order`` () =
    task {
        let chain =
            stateGraph {
                reducer Reduce.replace
                node "n0" (Node.func (fun s -> s + 1))
                node "n1" (Node.func (fun s -> s + 1))
                node "n2" (Node.func (fun s -> s + 1))
                node "n3" (Node.func (fun s -> s + 1))
                node "n4" (Node.func (fun s -> s + 1))
                node "n5" (Node.func (fun s -> s + 1))
                node "n6" (Node.func (fun s -> s + 1))
                node "n7" (Node.func (fun s -> s + 1))
                node "n8" (Node.func (fun s -> s + 1))
                node "n9" (Node.func (fun s -> s + 1))
                edge START "n0"
                edge "n0" "n1"
                edge "n1" "n2"
                edge "n2" "n3"
                edge "n3" "n4"
                edge "n4" "n5"
                edge "n5" "n6"
                edge "n6" "n7"
                edge "n7" "n8"
                edge "n8" "n9"
                edge "n9" END
            }

        let! result = run 5 chain
        result |> should equal 15
    }

[<Test>]
let ``a cycle with a conditional exit loops until the router says End`` () =
    task {
        let! result =
            stateGraph {
                reducer Reduce.replace
                node "inc" (Node.func (fun s -> s + 1))
                edge START "inc"
                route "inc" [ "inc"; END ] (fun s -> if s < 7 then Next.Goto "inc" else Next.End)
            }
            |> run 0

        result |> should equal 7
    }

[<Test>]
let ``fan-out and a join over branches of different lengths runs the join once after all`` () =
    task {
        let! result =
            stateGraph {
                reducer Reduce.append
                node "src" (Node.func (fun _ -> [ "src" ]))
                node "a" (Node.func (fun _ -> [ "a" ]))
                node "b1" (Node.func (fun _ -> [ "b1" ]))
                node "b2" (Node.func (fun _ -> [ "b2" ]))
                node "c" (Node.func (fun _ -> [ "c" ]))
                node "join" (Node.func (fun s -> [ $"join saw {List.length s}" ]))
                edge START "src"
                fanOut "src" [ "a"; "b1"; "c" ]
                edge "b1" "b2"
                join [ "a"; "b2"; "c" ] "join"
                edge "join" END
            }
            |> run []

        result |> should equal [ "src"; "a"; "b1"; "c"; "b2"; "join saw 5" ]
    }

let private separateOrJoined useJoin =
    let g =
        stateGraph {
            reducer Reduce.append
            node "a" (Node.func (fun _ -> [ "a" ]))
            node "b1" (Node.func (fun _ -> [ "b1" ]))
            node "b2" (Node.func (fun _ -> [ "b2" ]))
            node "t" (Node.func (fun _ -> [ "t" ]))
            fanOut START [ "a"; "b1" ]
            edge "b1" "b2"
            edge "t" END
        }

    if useJoin then
        stateGraph.Join(g, [ "a"; "b2" ], "t")
    else
        stateGraph.Edge(stateGraph.Edge(g, "a", "t"), "b2", "t")

[<Test>]
let ``separate edges from different steps trigger the target twice where a join triggers it once`` () =
    task {
        let! separate = separateOrJoined false |> run []
        let! joined = separateOrJoined true |> run []
        separate |> should equal [ "a"; "b1"; "b2"; "t"; "t" ]
        joined |> should equal [ "a"; "b1"; "b2"; "t" ]
    }

[<Test>]
let ``edges from nodes of the same step trigger the target once`` () =
    task {
        let! result =
            stateGraph {
                reducer Reduce.append
                node "a" (Node.func (fun _ -> [ "a" ]))
                node "b" (Node.func (fun _ -> [ "b" ]))
                node "t" (Node.func (fun _ -> [ "t" ]))
                fanOut START [ "a"; "b" ]
                edge "a" "t"
                edge "b" "t"
                edge "t" END
            }
            |> run []

        result |> should equal [ "a"; "b"; "t" ]
    }

[<Test>]
let ``Send map-reduce runs one worker task per item and sums`` () =
    task {
        let! result =
            stateGraph {
                reducer Reduce.sum
                node "double" (Node.worker (fun (x: int) -> x * 2))
                node "done" (Node.func (fun _ -> 1000))
                route START [ "double" ] (fun _ -> Next.send "double" [ 1..100 ])
                edge "double" "done"
                edge "done" END
            }
            |> run 0

        result |> should equal (100 * 101 + 1000)
    }

[<Test>]
let ``Send tasks are reduced after triggered nodes, in send order`` () =
    task {
        let! result =
            stateGraph {
                reducer Reduce.append
                node "z" (Node.func (fun _ -> [ "z" ]))
                node "w" (Node.worker (fun (x: string) -> [ "w:" + x ]))
                parallelism "w" NodeOptions.Unbounded
                edge START "z"
                route START [ "w" ] (fun _ -> Next.send "w" [ "3"; "1"; "2" ])
                edge "z" END
                edge "w" END
            }
            |> run []

        result |> should equal [ "z"; "w:3"; "w:1"; "w:2" ]
    }

[<Test>]
let ``a command goto runs its targets and applies its update`` () =
    task {
        let! result =
            stateGraph {
                reducer Reduce.append
                node "decide" (Node.command [ "left"; "right" ] (fun _ -> Outcome.command [ "decide" ] (Next.FanOut [ "right"; "left" ])))
                node "left" (Node.func (fun _ -> [ "left" ]))
                node "right" (Node.func (fun _ -> [ "right" ]))
                edge START "decide"
                edge "left" END
                edge "right" END
            }
            |> run []

        result |> should equal [ "decide"; "left"; "right" ]
    }

[<Test>]
let ``a command to an undeclared destination fails with InvalidRouteException`` () =
    task {
        let definition =
            stateGraph {
                reducer Reduce.append
                node "decide" (Node.command [ "left" ] (fun _ -> Outcome.goto (Next.Goto "right")))
                node "left" (Node.func (fun _ -> [ "left" ]))
                node "right" (Node.func (fun _ -> [ "right" ]))
                fanOut START [ "decide"; "right" ]
                edge "left" END
                edge "right" END
            }

        let! ex = throwsAsync<InvalidRouteException, _> (fun () -> run [] definition)

        ex.Message
        |> should equal "The router or command of node 'decide' returned 'right', which is not among its declared targets [left]."
    }

[<Test>]
let ``a router returning an undeclared target fails naming the source, the target and the declared list`` () =
    task {
        let definition =
            stateGraph {
                reducer Reduce.replace
                node "a" (Node.func (fun s -> s + 1))
                node "b" (Node.func (fun s -> s + 1))
                node "c" (Node.func (fun s -> s + 1))
                fanOut START [ "a"; "c" ]
                route "a" [ "b"; END ] (fun _ -> Next.Goto "c")
                edge "b" END
                edge "c" END
            }

        let! ex = throwsAsync<InvalidRouteException, _> (fun () -> run 0 definition)
        ex.SourceNode |> should equal "a"
        ex.Target |> should equal "c"
        List.ofSeq ex.DeclaredTargets |> should equal [ "b"; END ]
    }

[<Test>]
let ``an endless cycle fails at the step limit, and the limit can be set per graph and per run`` () =
    task {
        let steps = ref 0

        let loop limit =
            stateGraph {
                reducer Reduce.replace
                node "loop" (Node.func (fun s -> Interlocked.Increment(&steps.contents) |> ignore; s + 1))
                edge START "loop"
                route "loop" [ "loop"; END ] (fun _ -> Next.Goto "loop")
                stepLimit limit
            }

        let! ex = throwsAsync<GraphRecursionLimitException, _> (fun () -> run 0 (loop 25))
        ex.StepLimit |> should equal 25
        steps.Value |> should equal 25

        let! lower = throwsAsync<GraphRecursionLimitException, _> (fun () -> run 0 (loop 4))
        lower.StepLimit |> should equal 4

        let compiled = GraphRun.compile (loop 25)

        let! perRun =
            throwsAsync<GraphRecursionLimitException, _> (fun () ->
                compiled |> GraphRun.invokeWith { RunConfig.defaults with StepLimit = Some 3 } 0)

        perRun.StepLimit |> should equal 3
        do! GraphRun.dispose compiled
    }

[<Test>]
let ``keyed state: last-value and reducer keys written by nodes of one step`` () =
    task {
        let schema =
            KeyedStateSchema().LastValue<string>("answer").Reducer<int>("count", (fun a b -> a + b), 0)

        let compiled =
            stateGraph {
                keyedState schema
                node "a" (Node.func (fun _ -> Keyed.set "count" 1 |> Keyed.andSet "answer" "from a"))
                node "b" (Node.func (fun _ -> Keyed.set "count" 2))
                node "c" (Node.func (fun (s: KeyedState) -> Keyed.set "count" (10 * (Keyed.get<int> "count" s |> Option.defaultValue 0))))
                fanOut START [ "a"; "b" ]
                join [ "a"; "b" ] "c"
                edge "c" END
            }
            |> GraphRun.compile

        let! final = compiled |> GraphRun.invoke (schema.CreateState()) |> bounded
        Keyed.get<int> "count" final |> should equal (Some 33)
        Keyed.get<string> "answer" final |> should equal (Some "from a")
        Keyed.get<string> "missing" final |> should equal None
        do! GraphRun.dispose compiled
    }

[<Test>]
let ``nodes may be tasks, asyncs or functions of the context`` () =
    task {
        let! result =
            stateGraph {
                reducer Reduce.append
                node "t" (Node.task (fun _ -> task { return [ "task" ] }))
                node "a" (Node.async (fun _ -> async { return [ "async" ] }))
                node "c" (Node.funcCtx (fun ctx _ -> [ $"{ctx.Node}@{ctx.Step}" ]))
                node "tc" (Node.taskCtx (fun ctx _ -> Task.FromResult [ $"{ctx.Node}@{ctx.Step}" ]))
                node "ac" (Node.asyncCtx (fun ctx _ -> async { return [ $"{ctx.Node}@{ctx.Step}" ] }))
                node "none" (Node.commandCtx [] (fun _ _ -> Task.FromResult Outcome.NoUpdate))
                node "wa" (Node.workerAsync (fun (x: int) -> async { return [ $"wa{x}" ] }))
                node "wt" (Node.workerTask (fun (x: int) -> task { return [ $"wt{x}" ] }))
                edge START "t"
                edge "t" "a"
                edge "a" "c"
                edge "c" "tc"
                edge "tc" "ac"
                edge "ac" "none"
                route "none" [ "wa"; "wt" ] (fun _ -> Next.Many [ Next.send "wt" [ 1 ]; Next.send "wa" [ 2 ] ])
                edge "wa" END
                edge "wt" END
            }
            |> run []

        result |> should equal [ "task"; "async"; "c@3"; "tc@4"; "ac@5"; "wt1"; "wa2" ]
    }

[<Test>]
let ``retry re-runs a failing node until it succeeds`` () =
    task {
        let attempts = ref 0

        let! result =
            stateGraph {
                reducer Reduce.replace
                node "flaky" (Node.func (fun s -> if Interlocked.Increment(&attempts.contents) < 3 then failwith "boom" else s + 1))
                retry "flaky" (Retry.fixedDelay System.TimeSpan.Zero 3)
                edge START "flaky"
                edge "flaky" END
            }
            |> run 41

        result |> should equal 42
        attempts.Value |> should equal 3
    }

[<Test>]
let ``a graph without a reducer or with options for an unknown node fails to compile, naming both`` () =
    let definition =
        stateGraph {
            node "a" (Node.func (fun (s: int) -> s))
            timeout "ghost" (System.TimeSpan.FromSeconds 1.0)
            edge START "a"
            edge "a" END
        }

    let ex = Assert.Throws<GraphValidationException>(fun () -> GraphRun.compile definition |> ignore)
    List.ofSeq ex.Errors |> should haveLength 2
    ex.Message |> should haveSubstring "no reducer"
    ex.Message |> should haveSubstring "'ghost'"

[<Test>]
let ``the engine's validation errors surface unchanged`` () =
    let definition =
        stateGraph {
            reducer Reduce.replace
            node "a" (Node.func (fun (s: int) -> s))
            node "orphan" (Node.func id)
            edge START "a"
            edge "a" END
            edge "orphan" END
        }

    let ex = Assert.Throws<GraphValidationException>(fun () -> GraphRun.compile definition |> ignore)
    ex.Message |> should haveSubstring "orphan"

[<Test>]
let ``nodeSupervision sets the node actors' supervisor options, and the default never gives up`` () =
    task {
        let strict = Graph.Engine.Supervision.SupervisorOptions(MaxRestarts = 0)

        let definition =
            stateGraph {
                reducer Reduce.sum
                node "a" (Node.func (fun _ -> 1))
                edge START "a"
                edge "a" END
            }

        let strictGraph = GraphRun.compile { definition with Config = { definition.Config with NodeSupervision = strict } }
        let viaBuilder = stateGraph { reducer Reduce.sum; nodeSupervision strict; node "a" (Node.func (fun _ -> 1)); edge START "a"; edge "a" END } |> GraphRun.compile
        let defaulted = GraphRun.compile definition
        strictGraph.Options.NodeSupervision |> should equal strict
        viaBuilder.Options.NodeSupervision |> should equal strict
        defaulted.Options.NodeSupervision |> should equal GraphCompileOptions.DefaultNodeSupervision
        let! two = viaBuilder |> GraphRun.invoke 1 |> bounded
        two |> should equal 2

        for g in [ strictGraph; viaBuilder; defaulted ] do
            do! GraphRun.dispose g
    }
