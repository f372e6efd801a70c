using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;

namespace Graph.Engine.Testing.Tests.Simulation;

/// <summary>
/// Runs one simulation case (a random graph and fault schedule drawn from a seed) and checks the invariants:
/// the run with faults, then its recovery (a resume, after a crash in a fresh process), ends with the state of a
/// fault-free reference run (no lost or doubled update); no task that finished before the fault runs again after
/// the resume; a cancelled run ends cancelled (never timed out or failed); a store fault surfaces as a store failure.
/// </summary>
public static class Simulator
{
    private const string Thread = "t";

    /// <summary>Runs case <paramref name="seed"/>; returns null when every invariant holds, else what broke (with the seed and the case).</summary>
    /// <param name="seed">The case.</param>
    /// <param name="openStore">Opens the store the case writes to (disposed after the case); null for an in-memory store.</param>
    /// <param name="replay">The call that replays the case, for the report; null for <c>Simulator.Run(seed)</c>.</param>
    public static string? Run(int seed, Func<ICheckpointer>? openStore = null, string? replay = null)
    {
        var (spec, plan) = SimulationGen.Case(seed);
        try
        {
            var problem = Check(seed, spec, plan, openStore);
            return problem is null ? null : Describe(seed, spec, plan, problem, replay);
        }
#pragma warning disable CA1031 // Any exception is a finding, reported with its seed.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Describe(seed, spec, plan, ex.ToString(), replay);
        }
    }

    private static string Describe(int seed, GraphSpec spec, FaultPlan plan, string problem, string? replay) =>
        $"Simulation seed {seed} broke an invariant (replay: {replay ?? $"Simulator.Run({seed})"}).{Environment.NewLine}graph: {spec}{Environment.NewLine}faults: {plan}{Environment.NewLine}{problem}";

    /// <summary>Checks one case; returns null when every invariant holds, else what broke.</summary>
    internal static string? Check(int seed, GraphSpec spec, FaultPlan plan, Func<ICheckpointer>? openStore = null)
    {
        var reference = Reference(spec);
        var store = openStore?.Invoke() ?? new InMemoryCheckpointer();
        using var owned = store as IDisposable; // disposed after the graphs that write to it
        // The run with faults.
        var scheduler = new DeterministicScheduler(seed);
        using var simulated = new SimulatedGraph(spec, scheduler);
        var faulty = new FaultyCheckpointer(store, plan, simulated.AwaitPointAsync, scheduler);
        var options = new GraphCompileOptions { Checkpointer = faulty, JoinSkipped = JoinSkippedPolicy.Warn, Durability = plan.Durability };
        using var cancel = new CancellationTokenSource();
        if (plan.Kind == FaultKind.CancelAtAwait)
        {
            simulated.Cancel = cancel;
            simulated.CancelAt = plan.At;
        }

        using var test = GraphTest.Create(simulated.Build(), scheduler, options);
        var first = test.Run(0, new RunOptions { ThreadId = Thread }, cancel.Token);
        if (first.HasFinished)
        {
            return first.FinalState == reference ? null : $"lost or doubled update: the run finished with {first.FinalState}, the reference with {reference}";
        }

        var error = first.Error!;
        var expected = plan.Kind switch
        {
            FaultKind.CancelAtAwait => error is OperationCanceledException,
            FaultKind.StoreWriteFails or FaultKind.CrashAfterPut => IsStoreFault(error),
            _ => false,
        };
        if (!expected)
        {
            return $"the run with fault {plan.Kind} ended with {error.GetType().Name}: {error.Message}";
        }

        // Recovery: after a crash a fresh process (new graph, same store); otherwise the same graph, at once.
        var executedBefore = simulated.Executions.ToHashSet();
        var recoveryScheduler = plan.Kind == FaultKind.CrashAfterPut ? new DeterministicScheduler(seed + 1) : scheduler;
        using var recovered = new SimulatedGraph(spec, recoveryScheduler);
        using var recovery = plan.Kind == FaultKind.CrashAfterPut
            ? GraphTest.Create(recovered.Build(), recoveryScheduler, options with { Checkpointer = store })
            : null;
        var graph = recovery ?? test;
        var executions = recovery is null ? simulated.Executions : recovered.Executions;
        var before = executions.Count;
        var latest = graph.Execute(g => store.GetAsync(Thread));
        if (latest is { NextTasks.Count: 0 })
        {
            // The fault struck after the last checkpoint landed: the thread is finished in the store.
            var snapshot = graph.Execute(g => g.GetStateAsync(Thread));
            return snapshot!.Values == reference ? null : $"lost or doubled update: the finished thread holds {snapshot.Values}, the reference {reference}";
        }

        var second = latest is null ? graph.Run(0, new RunOptions { ThreadId = Thread }) : graph.Resume(Thread, null, new RunOptions { ThreadId = Thread });
        if (!second.HasFinished)
        {
            return $"the recovery ended with {second.Error?.GetType().Name}: {second.Error?.Message}";
        }

        if (second.FinalState != reference)
        {
            return $"lost or doubled update: the recovered run finished with {second.FinalState}, the reference with {reference}";
        }

        var history = graph.Execute(g => store.ListAsync(Thread));
        if (history.Zip(history.Skip(1)).FirstOrDefault(p => p.First.ParentId != p.Second.Id) is { First: not null } fork)
        {
            return $"the thread's history is not one chain: checkpoint {fork.First.Id} follows {fork.First.ParentId}, but the one before it is {fork.Second.Id}";
        }

        if (latest is not null)
        {
            var committed = latest.PendingWrites.Select(w => w.TaskId).ToHashSet();
            foreach (var again in executions.Skip(before))
            {
                var step = int.Parse(again[..again.IndexOf(':', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
                if (executedBefore.Contains(again) && (step <= latest.Step || committed.Contains(again)))
                {
                    return $"finished task {again} ran again after the resume from checkpoint {latest.Id} (step {latest.Step}, pending writes {string.Join(", ", committed)})";
                }
            }
        }

        return null;
    }

    /// <summary>The fault-free, unpersisted final state (seed 0).</summary>
    private static long Reference(GraphSpec spec)
    {
        var scheduler = new DeterministicScheduler(0);
        using var simulated = new SimulatedGraph(spec, scheduler);
        using var test = GraphTest.Create(simulated.Build(), scheduler, new GraphCompileOptions { JoinSkipped = JoinSkippedPolicy.Warn });
        var run = test.Run(0);
        return run.HasFinished ? run.FinalState : throw new InvalidOperationException($"The reference run failed: {run.Error}");
    }

    /// <summary>
    /// The store's fault, as the run ends with it: itself, or the failure of a subgraph node whose child (on the
    /// parent's store) met it.
    /// </summary>
    private static bool IsStoreFault(Exception error) => error switch
    {
        CheckpointStoreException or IOException => true,
        NodeFailedException { InnerException: { } inner } => IsStoreFault(inner),
        _ => false,
    };
}
