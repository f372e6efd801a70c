/// A clock that moves only when a test calls `Advance`: restart windows and backoff without sleeps.
module Graph.Engine.FSharp.Tests.ManualTime

open System
open System.Threading
open System.Threading.Tasks

type private TimerEntry(callback: TimerCallback, state: obj) =
    member val Due: DateTimeOffset option = None with get, set
    member val Period = Timeout.InfiniteTimeSpan with get, set
    member _.Invoke() = callback.Invoke state

type ManualTimeProvider(start: DateTimeOffset) =
    inherit TimeProvider()
    let gate = obj ()
    let mutable now = start
    let timers = ResizeArray<TimerEntry>()
    let waiters = ResizeArray<int * TaskCompletionSource<unit>>()

    let pending () = timers |> Seq.filter (fun t -> t.Due.IsSome) |> Seq.length

    let signal () =
        let ready =
            lock gate (fun () ->
                let count = pending ()
                let ready = waiters |> Seq.filter (fun (n, _) -> count >= n) |> List.ofSeq
                for w in ready do
                    waiters.Remove w |> ignore
                ready)

        for _, tcs in ready do
            tcs.TrySetResult() |> ignore

    new() = ManualTimeProvider(DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))

    override _.GetUtcNow() = lock gate (fun () -> now)
    override _.TimestampFrequency = TimeSpan.TicksPerSecond
    override _.GetTimestamp() = lock gate (fun () -> now.UtcTicks)

    override _.CreateTimer(callback: TimerCallback, state: obj, dueTime: TimeSpan, period: TimeSpan) : ITimer =
        let entry = TimerEntry(callback, state)

        let change (due: TimeSpan) (every: TimeSpan) =
            lock gate (fun () ->
                entry.Period <- every
                entry.Due <- if due = Timeout.InfiniteTimeSpan then None else Some(now + due)
                if not (timers.Contains entry) then timers.Add entry)

            signal ()

        change dueTime period

        { new ITimer with
            member _.Change(due, every) =
                change due every
                true

            member _.Dispose() = lock gate (fun () -> timers.Remove entry |> ignore)

            member _.DisposeAsync() =
                lock gate (fun () -> timers.Remove entry |> ignore)
                ValueTask.CompletedTask }

    /// Timers waiting to fire.
    member _.PendingTimers = lock gate pending

    /// Completes once at least `count` timers are waiting (e.g. a restart backoff has started).
    member _.WhenPending(count: int) : Task =
        let tcs = TaskCompletionSource<unit>(TaskCreationOptions.RunContinuationsAsynchronously)
        lock gate (fun () -> waiters.Add((count, tcs)))
        signal ()
        tcs.Task

    /// Moves the clock and fires every timer that falls due, in due order (callbacks outside the lock).
    member _.Advance(by: TimeSpan) =
        let target = lock gate (fun () -> now + by)
        let mutable running = true

        while running do
            let next =
                lock gate (fun () ->
                    let due = timers |> Seq.filter (fun t -> t.Due.IsSome && t.Due.Value <= target) |> Seq.sortBy _.Due.Value |> Seq.tryHead

                    match due with
                    | Some t ->
                        if t.Due.Value > now then now <- t.Due.Value
                        let periodic = t.Period <> Timeout.InfiniteTimeSpan && t.Period > TimeSpan.Zero
                        t.Due <- if periodic then Some(now + t.Period) else None
                        Some t
                    | None ->
                        now <- target
                        None)

            match next with
            | Some t -> t.Invoke()
            | None -> running <- false
