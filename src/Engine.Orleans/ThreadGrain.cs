using System.Threading.Channels;
using Graph.Engine.Orleans.Runs;
using Graph.Engine.Orleans.Wire;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace Graph.Engine.Orleans;

/// <summary>
/// Hosts one thread's runs. Reentrant so that a second caller is answered (joined, rejected, queued) while a run is in
/// flight; the activation's turns are still one at a time, so its fields need no lock.
/// </summary>
[Reentrant]
internal sealed partial class ThreadGrain(GraphRegistry graphs, IRunRegistry runs, ILocalSiloDetails silo, ILogger<ThreadGrain> logger)
    : Grain, IThreadGrain
{
    private const int Remembered = 256;
    private readonly Dictionary<string, Task> calls = new(StringComparer.Ordinal);
    private readonly Queue<string> callOrder = new();
    private RunningCall? running;

    private string ThreadId => this.GetPrimaryKeyString();

    public Task<WireRunResult> RunAsync(WireRunCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(call.Wait, TimeSpan.Zero, "call.Wait");
        return WithinAsync(RunCoreAsync(call, events: null), call.Wait);
    }

    /// <summary>The run's result if it ends within <paramref name="wait"/>, else <see cref="WireRunResult.StillRunning"/> (the run goes on).</summary>
    private static async Task<WireRunResult> WithinAsync(Task<WireRunResult> run, TimeSpan wait)
    {
        using var timer = new CancellationTokenSource();
        var delay = Task.Delay(wait, timer.Token);
        if (await Task.WhenAny(run, delay) == run)
        {
            await timer.CancelAsync();
            return await run;
        }

        return WireRunResult.StillRunning;
    }

    /// <summary>Admits and runs <paramref name="call"/>; with <paramref name="events"/>, streams the run's events into it.</summary>
    private async Task<WireRunResult> RunCoreAsync(WireRunCall call, ChannelWriter<WireEvent>? events)
    {
        ArgumentException.ThrowIfNullOrEmpty(call.CallId);
        var graph = graphs.Get(call.Graph);
        var policy = (DoubleTexting)call.DoubleTexting;
        if (!Enum.IsDefined(policy))
        {
            throw new ArgumentException($"Unknown double-texting policy {call.DoubleTexting}.", nameof(call));
        }

        while (true)
        {
            if (calls.TryGetValue(call.CallId, out var known))
            {
                return await (Task<WireRunResult>)known;
            }

            if (running is { } other)
            {
                if (policy == DoubleTexting.Reject)
                {
                    throw new ThreadBusyException(ThreadId, other.CallId);
                }

                if (policy is DoubleTexting.Interrupt or DoubleTexting.Rollback)
                {
                    other.Cancellation.Cancel();
                }

                await other.Ended;
                if (policy == DoubleTexting.Rollback && running is null)
                {
                    await RollBackAsync(graph, other.CallId);
                }

                continue;
            }

            var latest = await graph.Checkpointer.GetAsync(ThreadId);
            if (calls.ContainsKey(call.CallId) || running is not null)
            {
                continue; // another turn moved while the store answered: decide again
            }

            if (latest is not null && RunIdOf(latest) == call.CallId)
            {
                // An earlier activation (maybe on a silo that died) started this very call: finish it, never start it again.
                return await ContinueAsync(graph, call.CallId);
            }

            var at = latest?.Id ?? 0;
            if (call.ExpectedCheckpointId is { } expected && expected != at)
            {
                throw new ThreadFenceException(ThreadId, expected, at);
            }

            return await Start(graph, call.CallId, token => events is null ? graph.RunAsync(ThreadId, call, token) : graph.StreamAsync(ThreadId, call, events, token));
        }
    }

    public async Task RecoverAsync(string graph, string callId)
    {
        var hosted = graphs.Get(graph);
        if (calls.ContainsKey(callId) || running is not null)
        {
            return;
        }

        var latest = await hosted.Checkpointer.GetAsync(ThreadId);
        if (calls.ContainsKey(callId) || running is not null)
        {
            return;
        }

        if (latest is null || RunIdOf(latest) != callId)
        {
            await runs.RemoveAsync(ThreadId, callId); // the record outlived its run
            return;
        }

        Log.Recovering(logger, ThreadId, callId, latest.Id);
        _ = ContinueAsync(hosted, callId).ContinueWith(
            static (t, state) => Log.RecoveryFailed((ILogger)state!, t.Exception!),
            logger,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Current);
    }

    public Task CancelAsync(string callId)
    {
        if (running is { } run && run.CallId == callId)
        {
            run.Cancellation.Cancel();
        }

        return Task.CompletedTask;
    }

    public Task<WireSnapshot?> GetStateAsync(string graph, long? checkpointId) => graphs.Get(graph).GetStateAsync(ThreadId, checkpointId);

    public Task<WireSnapshot[]> GetStateHistoryAsync(string graph, int? limit, long? before) => graphs.Get(graph).GetStateHistoryAsync(ThreadId, limit, before);

    public Task<WireSnapshot> UpdateStateAsync(string graph, string callId, byte[] update, string asNode, long? checkpointId)
    {
        var hosted = graphs.Get(graph);
        return Once(callId, () => ApplyOnceAsync(hosted, callId, () => hosted.UpdateStateAsync(ThreadId, update, asNode, checkpointId, callId)));
    }

    public Task<WireSnapshot> ForkAsync(string graph, string callId, long checkpointId)
    {
        var hosted = graphs.Get(graph);
        return Once(callId, () => ApplyOnceAsync(hosted, callId, () => hosted.ForkAsync(ThreadId, checkpointId, callId)));
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A run still in flight stays in the run registry: the silo that takes the thread over resumes it.
        running?.Abandon();
        return Task.CompletedTask;
    }

    private static string? RunIdOf(Checkpoints.Checkpoint checkpoint) =>
        checkpoint.Metadata.Properties.TryGetValue("run_id", out var id) ? id : null;

    /// <summary>Finishes call <paramref name="callId"/>, whose checkpoints the thread holds: answers it if it ended, else resumes it.</summary>
    private async Task<WireRunResult> ContinueAsync(IHostedGraph graph, string callId)
    {
        var snapshot = await graph.GetStateAsync(ThreadId, null) ?? throw new InvalidOperationException($"Thread '{ThreadId}' has no checkpoint.");
        if (calls.TryGetValue(callId, out var known))
        {
            return await (Task<WireRunResult>)known;
        }

        if (snapshot.Interrupts.Length > 0 || snapshot.Next.Length == 0)
        {
            await RemoveRecordAsync(callId); // the run ended where its silo died: nothing is left to recover
            return new WireRunResult
            {
                Interrupted = snapshot.Interrupts.Length > 0,
                State = snapshot.State,
                Interrupts = snapshot.Interrupts,
                ThreadId = ThreadId,
                CheckpointId = snapshot.CheckpointId,
            };
        }

        return await Start(graph, callId, token => graph.ContinueAsync(ThreadId, callId, token));
    }

    /// <summary>Starts a run as the thread's one run in flight, recorded in the run registry while it lasts.</summary>
    private Task<WireRunResult> Start(IHostedGraph graph, string callId, Func<CancellationToken, Task<WireRunResult>> body)
    {
        var call = new RunningCall(callId);
        running = call;
        var task = TrackAsync(graph, call, body);
        Remember(callId, task);
        return task;
    }

    private async Task<WireRunResult> TrackAsync(IHostedGraph graph, RunningCall call, Func<CancellationToken, Task<WireRunResult>> body)
    {
        DelayDeactivation(TimeSpan.FromDays(1));
        try
        {
            await runs.RegisterAsync(new RunRecord(ThreadId, graph.Name, call.CallId, silo.SiloAddress.ToParsableString()));
            return await body(call.Cancellation.Token);
        }
        finally
        {
            if (!call.Abandoned)
            {
                await RemoveRecordAsync(call.CallId);
            }

            if (running == call)
            {
                running = null;
                DelayDeactivation(TimeSpan.FromSeconds(-1)); // idle again: back to the regular collection age
            }

            call.End();
        }
    }

    private async Task RemoveRecordAsync(string callId)
    {
        try
        {
            await runs.RemoveAsync(ThreadId, callId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A record left behind is harmless: recovery finds the run ended and drops it.
            Log.RecordNotRemoved(logger, e, ThreadId, callId);
        }
    }

    private Task<T> Once<T>(string callId, Func<Task<T>> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        if (calls.TryGetValue(callId, out var known))
        {
            return (Task<T>)known;
        }

        if (running is { } run)
        {
            throw new ThreadBusyException(ThreadId, run.CallId);
        }

        var task = write();
        Remember(callId, task);
        return task;
    }

    private void Remember(string callId, Task task)
    {
        calls[callId] = task;
        callOrder.Enqueue(callId);
        while (callOrder.Count > Remembered)
        {
            calls.Remove(callOrder.Dequeue());
        }
    }
}
