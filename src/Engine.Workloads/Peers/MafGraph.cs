using Graph.Engine.Workloads.Baselines;
using Microsoft.Agents.AI.Workflows;

namespace Graph.Engine.Workloads.Peers;

/// <summary>
/// chain10, fanout10-join, mapreduce100 and chain10-x1000 on Microsoft Agent Framework Workflows
/// (<see cref="MafWorkflows"/>), checking every run's output.
/// </summary>
/// <param name="name">The workload: chain10, fanout10-join, mapreduce100 or chain10-x1000.</param>
public sealed class MafGraph(string name) : Workload(
    name,
    PeerNames.MafWorkflows,
    name == WorkloadNames.Chain10X1000 ? MeasureKind.Throughput : MeasureKind.PerRun,
    name == WorkloadNames.Chain10X1000 ? BaselineNames.ConcurrentRuns : 1)
{
    private readonly Task<int>[] runs = new Task<int>[name == WorkloadNames.Chain10X1000 ? BaselineNames.ConcurrentRuns : 1];
    private Workflow? workflow;
    private int expected;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        (workflow, expected) = Name switch
        {
            WorkloadNames.Chain10 or WorkloadNames.Chain10X1000 => (MafWorkflows.Chain(10), 10),
            WorkloadNames.Fanout10Join => (MafWorkflows.FanoutJoin(), 10),
            WorkloadNames.MapReduce100 => (MafWorkflows.MapReduce(), ActionBlockMapReduce.ExpectedSum),
            _ => throw new ArgumentException($"No MAF version of workload '{Name}'.", nameof(name)),
        };
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var flow = workflow!;
        for (var i = 0; i < iterations; i++)
        {
            for (var r = 0; r < runs.Length; r++)
            {
                runs[r] = MafWorkflows.RunAsync(flow, 0, cancellationToken);
            }

            await Task.WhenAll((Task[])runs).ConfigureAwait(false);
            foreach (var run in runs)
            {
                Check(run.Result, expected);
            }
        }
    }
}
