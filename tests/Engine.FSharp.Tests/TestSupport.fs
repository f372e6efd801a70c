module Graph.Engine.FSharp.Tests.TestSupport

open System
open System.Threading.Tasks

/// Every wait in these tests is bounded.
let wait = TimeSpan.FromSeconds 10.0

let bounded (t: Task<'T>) = t.WaitAsync(wait)

let boundedUnit (t: Task) = t.WaitAsync(wait)

/// Blocks on `t` for at most `wait` (in `finally` blocks and synchronous tests); a timeout fails the test.
let waitBounded (t: Task) =
    if not (t.Wait wait) then
        raise (TimeoutException $"The task did not complete within {wait}.")

let newGate<'T> () = TaskCompletionSource<'T>(TaskCreationOptions.RunContinuationsAsynchronously)

/// Asserts that `t` fails with `'E` (unwrapping AggregateException) and returns the exception.
let throwsAsync<'E, 'T when 'E :> exn> (t: unit -> Task<'T>) : Task<'E> =
    task {
        try
            let! _ = bounded (t ())
            return failwithf "expected %s, but the task succeeded" typeof<'E>.Name
        with
        | :? 'E as e -> return e
        | :? AggregateException as a when (a.InnerException :? 'E) -> return a.InnerException :?> 'E
    }
