using System.Collections.Concurrent;
using Graph.Engine.Actors;

namespace Graph.Engine.Testing.Tests.Simulation.Actors;

/// <summary>
/// A fault point in the workers' factories: the stop racing a restart. A worker that handles
/// <see cref="Act.StopDuringRestart"/> arms its name and stops itself; the factory call of its restart (on the
/// supervisor's loop, inside the respawn) then begins its supervisor's orderly stop and holds until that stop has stopped
/// the child being started. So the respawn always finishes after its supervisor has begun stopping and closed, whatever
/// the thread pool does: the interleaving the seed's plan asks for, not one the pool happens to give.
/// </summary>
public sealed class RestartHolds : IObserver<ActorEvent>
{
    /// <summary>
    /// The longest a factory holds (real time). The stop can wait for the held loop itself (a sibling suspended by its
    /// crash waits for the supervisor's decision, and the stop waits for that sibling): then the hold gives up, and the
    /// case runs on without reaching the fault point.
    /// </summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, byte> armed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> holding = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> notes = new();

    /// <summary>What the holds did: which restart each held, and whether its child's stop came.</summary>
    public IReadOnlyCollection<string> Notes => notes;

    /// <summary>The next start of worker <paramref name="name"/> (<c>tree/child</c>) holds.</summary>
    public void Arm(string name) => armed[name] = 0;

    /// <summary>Called by worker <paramref name="name"/>'s factory: when armed, begins the stop (<paramref name="stopSupervisor"/>) and holds.</summary>
    public void Starting(string name, Func<Task> stopSupervisor)
    {
        if (!armed.TryRemove(name, out _))
        {
            return;
        }

        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        holding[name] = stopped;
        _ = stopSupervisor();
        // The factory is synchronous, so the hold blocks; it is a gate opened by the child's ActorStopped, bounded by Limit.
        var came = stopped.Task.Wait(Limit);
        holding.TryRemove(name, out _);
        notes.Enqueue(came ? $"{name}: restart held until its supervisor's stop had stopped it" : $"{name}: fault point not reached (the stop waited for the held loop; released after {Limit.TotalSeconds} s)");
    }

    public void OnNext(ActorEvent value)
    {
        if (value is ActorStopped stopped && !holding.IsEmpty)
        {
            foreach (var (name, gate) in holding)
            {
                if (stopped.Path.EndsWith("/" + name, StringComparison.Ordinal))
                {
                    gate.TrySetResult();
                }
            }
        }
    }

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }
}
