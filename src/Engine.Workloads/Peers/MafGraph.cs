using Graph.Engine.Workloads.Baselines;
using Graph.Engine.Workloads.Measuring;
using Microsoft.Agents.AI.Workflows;

namespace Graph.Engine.Workloads.Peers;

/// <summary>
/// chain10, fanout10-join, mapreduce100, chain10-x1000 and chain10-x1000-callers on Microsoft Agent Framework
/// Workflows (<see cref="MafWorkflows"/>), checking every run's output.
/// </summary>
/// <param name="name">The workload: chain10, fanout10-join, mapreduce100, chain10-x1000 or chain10-x1000-callers.</param>
public sealed class MafGraph(string name) : Workload(
    name,
    PeerNames.MafWorkflows,
    IsConcurrent(name) ? MeasureKind.Throughput : MeasureKind.PerRun,
    IsConcurrent(name) ? BaselineNames.ConcurrentRuns : 1)
{
    private readonly Task<int>[] runs = new Task<int>[IsConcurrent(name) ? BaselineNames.ConcurrentRuns : 1];
    private readonly int callers = name == WorkloadNames.Chain10X1000Callers ? ConcurrentRounds.PerCore : 1;
    private Workflow? workflow;
    private int expected;
    private Func<int, int, ValueTask>? round;
    private CancellationToken token;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        (workflow, expected) = Name switch
        {
            WorkloadNames.Chain10 or WorkloadNames.Chain10X1000 or WorkloadNames.Chain10X1000Callers => (MafWorkflows.Chain(10), 10),
            WorkloadNames.Fanout10Join => (MafWorkflows.FanoutJoin(), 10),
            WorkloadNames.MapReduce100 => (MafWorkflows.MapReduce(), ActionBlockMapReduce.ExpectedSum),
            _ => throw new ArgumentException($"No MAF version of workload '{Name}'.", nameof(name)),
        };
        round = RoundAsync;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        token = cancellationToken;
        return ConcurrentRounds.RunAsync(iterations, runs.Length, callers, round!);
    }

    /// <summary>Starts the runs <paramref name="from"/>..<paramref name="to"/>-1 at once, then awaits and checks them.</summary>
    private async ValueTask RoundAsync(int from, int to)
    {
        var flow = workflow!;
        for (var r = from; r < to; r++)
        {
            runs[r] = MafWorkflows.RunAsync(flow, 0, token);
        }

        for (var r = from; r < to; r++)
        {
            Check(await runs[r].ConfigureAwait(false), expected);
        }
    }

    private static bool IsConcurrent(string name) => name is WorkloadNames.Chain10X1000 or WorkloadNames.Chain10X1000Callers;
}
