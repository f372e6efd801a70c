/// The F# face of the cluster (Graph.Engine.FSharp.Orleans) against a one-silo Orleans TestingHost cluster.
module Graph.Engine.FSharp.Orleans.Tests.ClusterTests

open System
open System.Threading.Tasks
open NUnit.Framework
open FsUnit
open Orleans.Hosting
open Orleans.TestingHost
open Graph.Engine.Checkpoints
open Graph.Engine.Graphs
open Graph.Engine.FSharp
open Graph.Engine.FSharp.Orleans

type Verdict =
    | Published
    | Discarded of reason: string

/// An F# record with a union and an option: it crosses the cluster with the F# serializer.
type Review = { Text: string; Verdict: Verdict option }

/// One store for the silo of this process (a real cluster shares PostgreSQL).
let private store = InMemoryCheckpointer()

let review =
    stateGraph {
        reducer (fun (_: Review) (u: Review) -> u)
        checkpointer store
        durability CheckpointDurability.PerStepSync
        node "draft" (Node.func (fun r -> { r with Text = r.Text + " (drafted)" }))
        node "review" (Node.funcCtx (fun ctx r ->
            match NodeContext.interrupt<string> (box $"publish '{r.Text}'?") ctx with
            | "yes" -> { r with Verdict = Some Published }
            | reason -> { r with Verdict = Some(Discarded reason) }))
        edge START "draft"
        edge "draft" "review"
        edge "review" END
    }

type ReviewSilo() =
    interface ISiloConfigurator with
        member _.Configure(builder) = builder |> Cluster.addGraph "review" review |> ignore

type ReviewClient() =
    interface IClientBuilderConfigurator with
        member _.Configure(_, builder) = builder |> Cluster.addClient |> ignore

let private bounded (t: Task<'T>) = t.WaitAsync(TimeSpan.FromSeconds 60.0)

[<Test>]
let ``a definition registered in a silo runs, interrupts and resumes from an F# cluster client`` () =
    task {
        let builder = TestClusterBuilder(1s)
        builder.AddSiloBuilderConfigurator<ReviewSilo>() |> ignore
        builder.AddClientBuilderConfigurator<ReviewClient>() |> ignore
        let cluster = builder.Build()
        do! cluster.DeployAsync() |> fun t -> t.WaitAsync(TimeSpan.FromSeconds 120.0)

        try
            let graph = Cluster.graph<Review, Review> cluster.Client "review"
            let thread = Guid.NewGuid().ToString "N"

            let! first = graph |> Cluster.run thread { Text = "post"; Verdict = None } |> bounded
            match first with
            | RunResult.Interrupted(state, [ question ], Some t, Some _) ->
                t |> should equal thread
                state.Text |> should equal "post (drafted)"
                question.Node |> should equal "review"
                question |> Interrupt.valueAs<string> |> should equal (Some "publish 'post (drafted)'?")
            | other -> failwithf "expected one interrupt at review, got %A" other

            let! resumed = graph |> Cluster.resume thread (Resumption.value "off topic") |> bounded
            resumed |> RunResult.state |> should equal { Text = "post (drafted)"; Verdict = Some(Discarded "off topic") }

            let! latest = graph |> Cluster.getState thread |> bounded
            latest |> Option.map _.State |> should equal (Some(RunResult.state resumed))
            let! history = graph |> Cluster.history thread |> bounded
            history |> List.map _.Step |> should equal (history |> List.map _.Step |> List.sortDescending)
            let! none = graph |> Cluster.getState "no-such-thread" |> bounded
            none |> should equal None

            let streamed = Collections.Generic.List<RunEvent<Review, Review>>()
            do! graph |> Cluster.stream (Guid.NewGuid().ToString "N") { Text = "story"; Verdict = None }
                |> AsyncStream.iter streamed.Add Threading.CancellationToken.None
                |> fun t -> t.WaitAsync(TimeSpan.FromSeconds 60.0)
            streamed |> Seq.exists (function RunEvent.TaskFinished(_, "draft", _, _) -> true | _ -> false) |> should equal true
            match Seq.last streamed with
            | RunEvent.Interrupted(_, _, [ question ]) -> question.Node |> should equal "review"
            | other -> failwithf "expected the stream to end interrupted at review, got %A" other
        finally
            cluster.StopAllSilos()
            cluster.Dispose()
    }
