/// Graph definitions as values: nodes as data, shapes, typed routes, shared actor systems, retry copies.
module Graph.Engine.FSharp.Tests.DefinitionTests

open System
open NUnit.Framework
open FsUnit
open Graph.Engine.Graphs
open Graph.Engine.FSharp
open Graph.Engine.FSharp.Tests.TestSupport

type Verdict =
    | Publish
    | Discard

type Review =
    | Accept of score: int
    | Reject of reason: string
    | Later

// docs/fsharp.md, "Typed routes" (as written there)
let reviewed =
    stateGraph {
        reducer Reduce.append
        node "review" (Node.func (fun _ -> [ "reviewed" ]))
        node "publish" (Node.func (fun _ -> [ "published" ]))
        node "discard" (Node.func (fun _ -> [ "discarded" ]))
        edge START "review"
        routeCases "review" (fun s -> if List.length s > 1 then Publish else Discard) (function
            | Publish -> "publish"
            | Discard -> "discard")
        edge "publish" END
        edge "discard" END
    }

let private invoke input definition =
    task {
        let compiled = GraphRun.compile definition

        try
            return! compiled |> GraphRun.invoke input |> bounded
        finally
            waitBounded (GraphRun.dispose compiled)
    }

[<Test>]
let ``a typed route sends each case to the node it maps to`` () =
    task {
        let! once = invoke [] reviewed
        let! twice = invoke [ "draft" ] reviewed
        once |> should equal [ "reviewed"; "discarded" ]
        twice |> should equal [ "draft"; "reviewed"; "published" ]
    }

[<Test>]
let ``a typed route lists every case with its node, in declaration order`` () =
    let route = reviewed.Routes |> List.exactlyOne
    route.Cases |> should equal [ "Publish", "publish"; "Discard", "discard" ]
    route.Targets |> should equal [ "publish"; "discard" ]

[<Test>]
let ``a typed route case mapped to a missing node fails the build naming the case`` () =
    let broken =
        stateGraph {
            reducer Reduce.append
            node "review" (Node.func (fun _ -> [ "reviewed" ]))
            node "publish" (Node.func (fun _ -> [ "published" ]))
            edge START "review"
            routeCases "review" (fun _ -> Publish) (function
                | Publish -> "publish"
                | Discard -> "discrad")
            edge "publish" END
        }

    let error = Assert.Throws<GraphValidationException>(fun () -> GraphRun.compile broken |> ignore)
    error.Message |> should haveSubstring "case Discard"
    error.Message |> should haveSubstring "'discrad'"

[<Test>]
let ``a typed route over cases with fields maps each case by its tag`` () =
    let definition =
        stateGraph {
            reducer Reduce.append
            node "a" (Node.func (fun _ -> [ "a" ]))
            edge START "a"
            routeCases "a" (fun _ -> Reject "no") (function
                | Accept _ -> END
                | Reject _ -> "a"
                | Later -> END)
        }

    definition.Routes.Head.Cases |> should equal [ "Accept", END; "Reject", "a"; "Later", END ]

[<Test>]
let ``a typed route over a type that is not a union is refused with its name`` () =
    let error =
        Assert.Throws<ArgumentException>(fun () ->
            GraphDefinition.empty<int, int> |> GraphDefinition.addRouteCases "a" id (fun (n: int) -> string n) |> ignore)

    error.Message |> should haveSubstring "Int32 is not one"

[<Test>]
let ``nodes are data: a name and a body of a known kind`` () =
    let kinds = reviewed.Nodes |> List.map (fun n -> n.Name, Node.kind n.Body)
    kinds |> should equal [ "review", "func"; "publish", "func"; "discard", "func" ]

    match reviewed.Nodes.Head.Body with
    | NodeBody.Func f -> f [] |> should equal [ "reviewed" ]
    | other -> Assert.Fail $"expected a Func body, got {Node.kind other}"

[<Test>]
let ``a synchronous node with its context is a func, runs without a task and sees its context`` () =
    task {
        let body = Node.funcCtx (fun (ctx: NodeContext) (s: int) -> s + ctx.Node.Length)
        Node.kind body |> should equal "func"

        let definition =
            stateGraph {
                reducer Reduce.sum
                node "add" body
                edge START "add"
                edge "add" END
            }

        let! total = invoke 10 definition
        total |> should equal (10 + 10 + "add".Length)
    }

[<Test>]
let ``definitions written alike have equal shapes, and a changed edge does not`` () =
    let make target =
        stateGraph {
            reducer Reduce.sum
            node "a" (Node.task (fun s -> Threading.Tasks.Task.FromResult(s + 1)))
            node "w" (Node.worker (fun (x: string) -> x.Length))
            node "c" (Node.command [ END ] (fun _ -> Outcome.goto Next.End))
            edge START "a"
            edge "a" target
        }

    GraphDefinition.shape (make "c") |> should equal (GraphDefinition.shape (make "c"))
    GraphDefinition.shape (make "c") |> should not' (equal (GraphDefinition.shape (make END)))
    (make "c").Shape.Nodes |> should equal [ "a", "task"; "w", "worker of String"; "c", $"command to [{END}]" ]
    sprintf "%A" (make "c").Shape |> should haveSubstring "worker of String"

[<Test>]
let ``graphs given one actor system share it and leave it running`` () =
    task {
        let system = ActorSystem.create "shared"

        let definition =
            stateGraph {
                reducer Reduce.sum
                actorSystem system
                node "a" (Node.func (fun s -> s + 1))
                edge START "a"
                edge "a" END
            }

        let first = GraphRun.compile definition
        let second = GraphRun.compile definition
        first.Options.ActorSystem |> should be (sameAs system)
        second.Options.ActorSystem |> should be (sameAs system)
        let! one = first |> GraphRun.invoke 1 |> bounded
        do! GraphRun.dispose first |> boundedUnit
        let! two = second |> GraphRun.invoke 2 |> bounded
        do! GraphRun.dispose second |> boundedUnit
        (one, two) |> should equal (3, 5)  // sum: 1 + 2, 2 + 3
        let echo = Actor.spawn system "after-graphs" (fun (_: int) -> task { () })
        echo |> Actor.path |> should haveSubstring "after-graphs"
        do! ActorSystem.shutdown system |> boundedUnit
    }

[<Test>]
let ``Retry.onlyWhen keeps every other field of the policy`` () =
    let random = Random 7

    let policy =
        RetryPolicy(MaxAttempts = 5, InitialDelay = TimeSpan.FromSeconds 2.0, BackoffFactor = 3.0, MaxDelay = TimeSpan.FromMinutes 1.0, Jitter = false, Random = random)

    let filtered = policy |> Retry.onlyWhen (fun e -> e :? TimeoutException)
    filtered.ShouldRetry.Invoke(TimeoutException()) |> should equal true
    filtered.ShouldRetry.Invoke(InvalidOperationException()) |> should equal false
    filtered |> should equal (RetryPolicy(MaxAttempts = 5, InitialDelay = TimeSpan.FromSeconds 2.0, BackoffFactor = 3.0, MaxDelay = TimeSpan.FromMinutes 1.0, Jitter = false, Random = random, ShouldRetry = filtered.ShouldRetry))
    policy.ShouldRetry |> should equal null
