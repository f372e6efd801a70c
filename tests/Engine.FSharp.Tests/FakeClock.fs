/// A FakeTimeProvider that tells a test when the code under test has armed a timer: the test advances the clock
/// only after the timer exists (an advance before that would pass it by). FakeTimeProvider fires due timers
/// synchronously inside `Advance` and rounds due times down to whole milliseconds.
module Graph.Engine.FSharp.Tests.FakeClock

open System
open System.Threading
open System.Threading.Tasks
open Microsoft.Extensions.Time.Testing

/// A timer counts as armed from its creation (or `Change`) with a finite due time until it fires once, is changed
/// to infinite, or is disposed.
type FakeClock() =
    inherit FakeTimeProvider(DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))
    let gate = obj ()
    let armed = Collections.Generic.Dictionary<obj, TimeSpan>(HashIdentity.Reference)
    let waiters = ResizeArray<TimeSpan * TaskCompletionSource>()

    /// `firedMeanwhile`: a one-shot timer that already fired (an advance between scheduling and this report) is not armed.
    let arm (timer: obj) (due: TimeSpan) (period: TimeSpan) (firedMeanwhile: unit -> bool) =
        lock gate (fun () ->
            let periodic = period <> Timeout.InfiniteTimeSpan && period > TimeSpan.Zero

            if due = Timeout.InfiniteTimeSpan || (not periodic && (due = TimeSpan.Zero || firedMeanwhile ())) then
                armed.Remove timer |> ignore
            else
                armed[timer] <- due

                for (d, tcs) in List.ofSeq waiters do
                    if d = due then
                        tcs.TrySetResult() |> ignore
                        waiters.Remove((d, tcs)) |> ignore)

    let disarm (timer: obj) = lock gate (fun () -> armed.Remove timer |> ignore)

    /// Completes when a timer with exactly `dueTime` is armed (at once if one already is); unbounded.
    member _.WhenArmed(dueTime: TimeSpan) : Task =
        lock gate (fun () ->
            if armed.ContainsValue dueTime then
                Task.CompletedTask
            else
                let tcs = TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
                waiters.Add((dueTime, tcs))
                tcs.Task)

    override this.CreateTimer(callback: TimerCallback, state: obj, dueTime: TimeSpan, period: TimeSpan) : ITimer =
        let key = obj ()
        let periodic = ref false
        let disposed = ref false
        let fires = ref 0

        let fire (_: obj) =
            lock gate (fun () -> fires.Value <- fires.Value + 1)
            if not periodic.Value then disarm key
            callback.Invoke state

        let inner = base.CreateTimer(TimerCallback fire, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan)

        let change (due: TimeSpan) (every: TimeSpan) =
            if disposed.Value then
                false
            else
                periodic.Value <- every <> Timeout.InfiniteTimeSpan && every > TimeSpan.Zero
                // Schedule first, then report: a test woken by the report may advance the clock at once.
                let firesBefore = lock gate (fun () -> fires.Value)
                let changed = inner.Change(due, every)
                arm key due every (fun () -> fires.Value <> firesBefore)
                changed

        change dueTime period |> ignore

        { new ITimer with
            member _.Change(due, every) = change due every

            member _.Dispose() =
                disposed.Value <- true
                disarm key
                inner.Dispose()

            member _.DisposeAsync() =
                disposed.Value <- true
                disarm key
                inner.DisposeAsync() }
