using System.Threading.Tasks.Dataflow;

namespace Graph.Engine.Workloads.Baselines;

/// <summary>
/// pingpong between two <see cref="ActionBlock{TInput}"/>s: the pinger sends request n, the ponger
/// replies n, the pinger sends n+1; one iteration is <see cref="BaselineNames.RoundTrips"/> round trips.
/// </summary>
public sealed class ActionBlockPingPong() : Workload(WorkloadNames.PingPong, BaselineNames.ActionBlock, MeasureKind.PerRun, BaselineNames.RoundTrips)
{
    private readonly PingPongState state = new();
    private ActionBlock<int>? pinger;
    private ActionBlock<int>? ponger;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        var options = new ExecutionDataflowBlockOptions { BoundedCapacity = BaselineNames.MailboxCapacity };
        ActionBlock<int>? replies = null;
        var requests = new ActionBlock<int>(n => replies!.Post(n), options);
        var shared = state;
        Func<int, bool> request = requests.Post; // one delegate, not one per message
        replies = new ActionBlock<int>(n => shared.OnReply(n, request), options);
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
    public override async ValueTask TeardownAsync()
    {
        IDataflowBlock?[] all = [pinger, ponger];
        foreach (var block in all)
        {
            block?.Complete();
        }

        await Task.WhenAll(all.OfType<IDataflowBlock>().Select(b => b.Completion)).ConfigureAwait(false);
    }
}

/// <summary>The pinger's side of a ping-pong: on reply n, completes after the last round trip or requests n+1.</summary>
internal sealed class PingPongState
{
    private TaskCompletionSource<int>? done;

    public Task<int> Arm()
    {
        var source = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref done, source);
        return source.Task;
    }

    public void OnReply<TArg>(int n, Func<int, TArg> request)
    {
        if (n == BaselineNames.RoundTrips)
        {
            Volatile.Read(ref done)!.SetResult(n);
        }
        else
        {
            request(n + 1);
        }
    }
}
