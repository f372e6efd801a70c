namespace Graph.Engine.FSharp.Testing

open Graph.Engine.Graphs
open Graph.Engine.FSharp
open Graph.Engine.Testing

/// Reading and asserting a recorded run (the engine kit's `RunRecord` and `RunAssertions`), subject last, so checks
/// chain: `run |> RunRecord.shouldRunSteps [ ... ] |> RunRecord.shouldFinishWith expected`. A failed check throws
/// NUnit's `AssertionException` naming the step where the run and the expectation part, and shows the run.
[<RequireQualifiedAccess>]
module RunRecord =
    /// `Ok` final state, or `Error` with the exception that ended the run (`GraphInterruptedException` for an interrupt).
    let outcome (run: RunRecord<'State, 'Update>) : Result<'State, exn> =
        match run.Error with
        | null -> Ok run.FinalState
        | error -> Error error

    /// The state after the last step recorded.
    let state (run: RunRecord<'State, 'Update>) : 'State = run.FinalState

    /// The steps as run: each step's number, nodes in planned order, finished tasks and state after it.
    let steps (run: RunRecord<'State, 'Update>) : StepRecord<'State, 'Update> list = List.ofSeq run.Steps

    /// The updates node `node` wrote, in the order its tasks finished.
    let updatesOf (node: string) (run: RunRecord<'State, 'Update>) : 'Update list = List.ofSeq (run.UpdatesOf node)

    /// The interrupts the run stopped at.
    let interrupts (run: RunRecord<'State, 'Update>) : Interrupt list = run.Interrupts |> Seq.map Interrupt.ofEngine |> List.ofSeq

    /// Every event as streamed, as F# `RunEvent`s.
    let events (run: RunRecord<'State, 'Update>) : RunEvent<'State, 'Update> list =
        run.Events |> Seq.map RunEvent.ofGraphEvent |> List.ofSeq

    /// Asserts the steps: each entry lists one step's nodes, comma-separated in planned order (`"lookup, lookup"`).
    let shouldRunSteps (steps: string list) (run: RunRecord<'State, 'Update>) = run.ShouldRunSteps(Array.ofList steps)

    /// Asserts the updates node `node` wrote, in order.
    let shouldHaveUpdates (node: string) (updates: 'Update list) (run: RunRecord<'State, 'Update>) =
        run.ShouldHaveUpdates(node, Array.ofList updates)

    /// Asserts the state after step `step` (1-based).
    let shouldHaveStateAfter (step: int) (expected: 'State) (run: RunRecord<'State, 'Update>) = run.ShouldHaveStateAfter(step, expected)

    /// Asserts that the run finished with `expected`.
    let shouldFinishWith (expected: 'State) (run: RunRecord<'State, 'Update>) = run.ShouldFinishWith(expected)

    /// Asserts that the run saved `count` checkpoints.
    let shouldHaveSavedCheckpoints (count: int) (run: RunRecord<'State, 'Update>) = run.ShouldHaveSavedCheckpoints(count)

    /// Asserts that the run stopped at an interrupt of node `node` and returns that interrupt.
    let shouldBeInterruptedAt (node: string) (run: RunRecord<'State, 'Update>) : Interrupt =
        run.ShouldBeInterruptedAt(node) |> Interrupt.ofEngine

    /// Asserts that the run failed with a `'Error` and returns it.
    let shouldFailWith<'Error, 'State, 'Update when 'Error :> exn> (run: RunRecord<'State, 'Update>) : 'Error =
        RunAssertions.ShouldFailWith<'Error>(run)
