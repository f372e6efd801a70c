using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Graph.Engine.Orleans.Runs;

/// <summary>
/// Resumes the runs of silos that died. On every membership change (and once when the silo becomes active) it lists the
/// run registry and asks the thread grain of each run whose silo is dead or gone to recover it; the grain resumes it
/// from its last checkpoint wherever Orleans places it. Every silo does this; the grain runs each run once.
/// </summary>
internal sealed partial class RunRecoveryService(
    IClusterMembershipService membership,
    IRunRegistry runs,
    IGrainFactory grains,
    ILogger<RunRecoveryService> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource stopping = new();
    private Task loop = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(RunRecoveryService), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        loop = Task.Run(() => WatchAsync(stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        stopping.Dispose();
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await SweepAsync(snapshot, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.SweepFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    private async Task SweepAsync(ClusterMembershipSnapshot snapshot, CancellationToken cancellationToken)
    {
        foreach (var run in await runs.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var status = snapshot.GetSiloStatus(SiloAddress.FromParsableString(run.Silo));
            if (status is SiloStatus.Dead or SiloStatus.None)
            {
                Log.Orphan(logger, run.ThreadId, run.CallId, run.Silo);
                var grain = grains.GetGrain<IThreadGrain>(run.ThreadId);
                _ = grain.RecoverAsync(run.Graph, run.CallId).ContinueWith(
                    static (t, state) => Log.RecoverCallFailed((ILogger)state!, t.Exception!),
                    logger,
                    CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(3101, LogLevel.Information, "Run {CallId} of thread {ThreadId} was hosted by silo {Silo}, which is gone: recovering it")]
        public static partial void Orphan(ILogger logger, string threadId, string callId, string silo);

        [LoggerMessage(3102, LogLevel.Warning, "The run registry sweep failed; the next membership change sweeps again")]
        public static partial void SweepFailed(ILogger logger, Exception error);

        [LoggerMessage(3103, LogLevel.Warning, "A recovery call failed; the next membership change tries again")]
        public static partial void RecoverCallFailed(ILogger logger, Exception error);
    }
}
