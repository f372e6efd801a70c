using Microsoft.FSharp.Control;

namespace Graph.Engine.Workloads.Baselines;

/// <summary>pingpong between two F# <c>MailboxProcessor</c>s.</summary>
public sealed class MailboxPingPong() : Workload(WorkloadNames.PingPong, BaselineNames.MailboxProcessor, MeasureKind.PerRun, BaselineNames.RoundTrips)
{
    private readonly PingPongState state = new();
    private FSharpMailboxProcessor<int>? pinger;
    private FSharpMailboxProcessor<int>? ponger;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        FSharpMailboxProcessor<int>? replies = null;
        var requests = MailboxLoop.Start<int>(n =>
        {
            replies!.Post(n);
            return n >= 0;
        });
        var shared = state;
        Func<int, bool> request = m =>
        {
            requests.Post(m);
            return true;
        };
        replies = MailboxLoop.Start<int>(n =>
        {
            if (n < 0)
            {
                return false;
            }

            shared.OnReply(n, request);
            return true;
        });
        pinger = replies;
        ponger = requests;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        for (var i = 0; i < iterations; i++)
        {
            var done = state.Arm();
            ponger!.Post(1);
            Check(await done.ConfigureAwait(false), BaselineNames.RoundTrips);
        }
    }

    /// <inheritdoc/>
    public override ValueTask TeardownAsync()
    {
        // -1 stops the ponger, which forwards it to the pinger and stops it too.
        ponger?.Post(-1);
        return ValueTask.CompletedTask;
    }
}
