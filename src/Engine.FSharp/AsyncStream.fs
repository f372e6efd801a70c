namespace Graph.Engine.FSharp

open System
open System.Collections.Generic
open System.Threading
open System.Threading.Tasks

/// Small helpers over `IAsyncEnumerable` (no TaskSeq dependency).
[<RequireQualifiedAccess>]
module AsyncStream =
    /// Maps every item of `source` with `f`, lazily.
    let map (f: 'T -> 'R) (source: IAsyncEnumerable<'T>) : IAsyncEnumerable<'R> =
        { new IAsyncEnumerable<'R> with
            member _.GetAsyncEnumerator(cancellationToken) =
                let inner = source.GetAsyncEnumerator(cancellationToken)
                let mutable current = Unchecked.defaultof<'R>

                { new IAsyncEnumerator<'R> with
                    member _.Current = current

                    member _.MoveNextAsync() =
                        let moved = inner.MoveNextAsync()

                        if moved.IsCompletedSuccessfully then
                            if moved.Result then
                                current <- f inner.Current

                            ValueTask<bool>(moved.Result)
                        else
                            ValueTask<bool>(task {
                                let! more = moved

                                if more then
                                    current <- f inner.Current

                                return more
                            })

                    member _.DisposeAsync() = inner.DisposeAsync() } }

    /// Calls `action` for every item, in order; completes when the stream ends (and fails as it fails).
    let iter (action: 'T -> unit) (cancellationToken: CancellationToken) (source: IAsyncEnumerable<'T>) : Task =
        task {
            let e = source.GetAsyncEnumerator(cancellationToken)

            try
                let mutable more = true

                while more do
                    let! next = e.MoveNextAsync()
                    more <- next

                    if more then
                        action e.Current
            finally
                e.DisposeAsync().AsTask().GetAwaiter().GetResult()
        }

    /// A cold observable: each subscription enumerates `source` once; disposing the subscription cancels it.
    /// Errors go to `OnError` (unless the subscription was disposed first).
    let toObservable (source: IAsyncEnumerable<'T>) : IObservable<'T> =
        { new IObservable<'T> with
            member _.Subscribe(observer) =
                let cts = new CancellationTokenSource()

                let run =
                    task {
                        try
                            do! iter observer.OnNext cts.Token source
                            observer.OnCompleted()
                        with
                        | :? OperationCanceledException when cts.IsCancellationRequested -> ()
                        | error -> observer.OnError error
                    }

                ignore run

                { new IDisposable with
                    member _.Dispose() = cts.Cancel() } }
