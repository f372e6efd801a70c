namespace Graph.Engine.FSharp

open Graph.Engine.Graphs

/// Building and converting `Next` routes.
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Next =
    /// Run `node` next.
    let goto node = Next.Goto node

    /// Run `nodes` next, concurrently.
    let fanOut nodes = Next.FanOut(List.ofSeq nodes)

    /// One task of worker `node` per item (typed helper for `Next.Send`).
    let send node (items: 'T seq) =
        Next.Send(node, items |> Seq.map box |> List.ofSeq)

    /// Both routes.
    let both a b = Next.Many [ a; b ]

    /// The engine's `Route` for a `Next`.
    let rec toRoute next : Route =
        match next with
        | Next.Goto node -> Route.To(node: string)
        | Next.FanOut nodes -> Route.To(Array.ofList nodes)
        | Next.Send(node, items) -> Route.Sends(items |> List.map (fun item -> Send(node, item)))
        | Next.End -> Route.End
        | Next.Many routes -> routes |> List.fold (fun (acc: Route) r -> acc.And(toRoute r)) (Route())

    /// The `Next` for an engine `Route` (node targets first, then sends grouped in send order).
    let ofRoute (route: Route) =
        let targets =
            route.Targets
            |> Seq.map (fun t -> if t = END then Next.End else Next.Goto t)
            |> List.ofSeq

        let sends =
            route.SendList
            |> Seq.map (fun s -> Next.Send(s.Node, [ s.Argument ]))
            |> List.ofSeq

        match targets @ sends with
        | [ single ] -> single
        | many -> Next.Many many

/// Building and converting node outcomes.
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Outcome =
    /// Go to `next` without an update.
    let goto next : Outcome<'Update> = Outcome.Command(None, next)

    /// Apply `update` and go to `next`.
    let command update next : Outcome<'Update> = Outcome.Command(Some update, next)

    /// The engine's `NodeResult` for an outcome.
    let toNodeResult (outcome: Outcome<'Update>) : NodeResult<'Update> =
        match outcome with
        | Outcome.Update update -> NodeResult<'Update>.FromUpdate update
        | Outcome.NoUpdate -> NodeResult<'Update>.None
        | Outcome.Command(Some update, next) -> NodeResult<'Update>.FromCommand(Command<'Update>(update, Next.toRoute next))
        | Outcome.Command(None, next) -> NodeResult<'Update>.FromCommand(Command<'Update>.GotoOnly(Next.toRoute next))

    /// The outcome for an engine `NodeResult`.
    let ofNodeResult (result: NodeResult<'Update>) : Outcome<'Update> =
        match result.Command with
        | null when result.HasUpdate -> Outcome.Update result.Update
        | null -> Outcome.NoUpdate
        | command ->
            Outcome.Command((if command.HasUpdate then Some command.Update else None), Next.ofRoute command.Goto)
