using Graph.Engine.Actors;
using Graph.Engine.Diagnostics;
using Graph.Engine.Supervision;

namespace Graph.Engine.Testing.Tests.Simulation.Actors;

/// <summary>
/// Runs one actor simulation case (a plan drawn from a seed) and checks the invariants: every message sent is
/// handled or dead-lettered (conservation); no handler begins after the orderly stop has finished and no actor of the
/// trees is left running; an orderly stop never faults a supervisor's or the system's completion, nor fails a
/// supervisor's own handler (the race of a restart with its supervisor's stop, which <see cref="RestartHolds"/> brings
/// about on purpose). The plan is seeded;
/// the actors run on the thread pool, so a finding is run again to see whether it replays.
/// </summary>
public static class ActorSimulator
{
    /// <summary>Runs case <paramref name="seed"/>; null when every invariant holds, else what broke (with the seed and the plan).</summary>
    public static async Task<string?> RunAsync(int seed)
    {
        var plan = ActorPlan.Case(seed);
        try
        {
            var problems = await CheckAsync(plan).ConfigureAwait(false);
            return problems.Count == 0 ? null : Describe(seed, plan, string.Join(Environment.NewLine, problems.Take(6).Concat(problems.TakeLast(1))));
        }
#pragma warning disable CA1031 // Any exception is a finding, reported with its seed.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Describe(seed, plan, ex.ToString());
        }
    }

    private static string Describe(int seed, ActorPlan plan, string problem) =>
        $"Actor simulation seed {seed} broke an invariant (replay: ActorSimulator.RunAsync({seed})).{Environment.NewLine}plan: {plan}{Environment.NewLine}{problem}";

    /// <summary>Runs <paramref name="plan"/>; returns what broke, empty when nothing did.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="holds">The restart holds (a test reads their notes); null for new ones.</param>
    public static async Task<IReadOnlyList<string>> CheckAsync(ActorPlan plan, RestartHolds? holds = null)
    {
        var clock = new SimulatedClock();
        var ledger = new Ledger();
        await using var system = new ActorSystem("sim", new ActorSystemOptions { TimeProvider = clock });
        using var letters = system.DeadLetters.Subscribe(ledger);
        var notes = new EventNotes(ledger);
        using var events = system.Events.Subscribe(notes);
        holds ??= new RestartHolds();
        using var held = system.Events.Subscribe(holds);
        var options = new SupervisorOptions
        {
            Strategy = plan.Strategy,
            QueuedOnGroupRestart = plan.Queued,
            MaxRestarts = 1_000_000,
            RestartDelay = plan.RestartDelaySeconds == 0 ? RestartDelay.None : RestartDelay.Fixed(TimeSpan.FromSeconds(plan.RestartDelaySeconds)),
        };
        var trees = new List<Supervisor>();
        for (var t = 0; t < plan.Trees; t++)
        {
            var tree = "t" + t;
            var index = t;
            // Shutdown waits without a limit: the plan moves the simulated clock faster than the pool runs the actors,
            // and a shutdown timeout on it would abandon a child that is only waiting for a thread.
            var children = Enumerable.Range(0, plan.Children).Select(c => ChildSpec.Worker<Msg>("c" + c, () => Worker($"{tree}/c{c}", () => trees[index].StopAsync()), shutdown: ChildShutdown.Infinity));
            trees.Add(await BoundedWait.For(Supervisor.StartAsync(system, tree, children, options), $"supervisor {tree} started").ConfigureAwait(false));
        }

        SimWorker Worker(string name, Func<Task> stopTree)
        {
            holds.Starting(name, stopTree);
            return new SimWorker(ledger, holds, name);
        }

        Task? stopping = null;
        for (var i = 0; i < plan.Sends.Count; i++)
        {
            if (i == plan.StopAfter)
            {
                ledger.Note("stop begins");
                stopping = Task.WhenAll(trees.Select(s => s.StopAsync()));
            }

            var send = plan.Sends[i];
            var message = new Msg(i, send.Act);
            if (trees[send.Tree].TryGetChild<Msg>("c" + send.Child, out var child))
            {
                ledger.Sent(message, child.Path);
                child.Tell(message);
            }

            if (i % plan.AdvanceEvery == 0)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
            }

            if (i % 5 == 0)
            {
                await Task.Yield();
            }
        }

        stopping ??= Task.WhenAll(trees.Select(s => s.StopAsync()));
        var problems = new List<string>();
        try
        {
            await BoundedWait.For(stopping, "every supervisor stopped").ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed orderly stop is a finding.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            problems.Add($"the orderly stop failed: {ex}");
        }

        ledger.Stopped();
        problems.AddRange(trees.Where(s => !s.Completion.IsCompletedSuccessfully).Select(s => $"supervisor {s.Path} ended {s.Completion.Status} after an orderly stop: {s.Completion.Exception?.GetBaseException().Message}"));
        problems.AddRange(system.GetHealth().Actors
            .Where(a => a.State is ActorState.Running or ActorState.Starting && trees.Any(s => a.Path.StartsWith(s.Path, StringComparison.Ordinal)))
            .Select(a => $"actor {a.Path} is {a.State} after its supervisor stopped"));
        await system.DisposeAsync().ConfigureAwait(false);
        var unconserved = ledger.Unconserved();
        problems.AddRange(unconserved);
        if (unconserved.Count > 0)
        {
            // The story of the first such message's actor, for the report.
            var id = int.Parse(unconserved[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            var target = ledger.Trace.First(e => e.StartsWith($"send {id} ", StringComparison.Ordinal)).Split(" to ")[1];
            var child = string.Join('/', target.Split('/')[^2..]);
            problems.Add($"what happened around {target}:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", ledger.Trace.Where(e => e.Contains(child, StringComparison.Ordinal) || e.StartsWith("stop", StringComparison.Ordinal)).TakeLast(60)));
        }

        problems.AddRange(ledger.RanAfterStop);
        problems.AddRange(notes.Failures
            .Where(f => trees.Any(s => s.Path == f.Path))
            .Select(f => $"supervisor {f.Path}'s own handler failed during the orderly stop: {f.Exception.Message}"));
        if (!system.Completion.IsCompletedSuccessfully)
        {
            problems.Add($"the system's completion ended {system.Completion.Status} after an orderly stop: {system.Completion.Exception?.GetBaseException()}");
        }

        return problems;
    }

    /// <summary>Notes every event in the ledger and keeps the handler failures (a supervisor's own is a finding).</summary>
    private sealed class EventNotes(Ledger ledger) : IObserver<ActorEvent>
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<ActorFailed> failures = new();

        public IReadOnlyCollection<ActorFailed> Failures => failures;

        public void OnNext(ActorEvent value)
        {
            ledger.Note(value.ToString());
            if (value is ActorFailed failed)
            {
                failures.Enqueue(failed);
            }
        }

        public void OnError(Exception error)
        {
        }

        public void OnCompleted()
        {
        }
    }
}
