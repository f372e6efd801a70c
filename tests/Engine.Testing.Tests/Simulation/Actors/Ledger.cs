using System.Collections.Concurrent;
using Graph.Engine.Actors;

namespace Graph.Engine.Testing.Tests.Simulation.Actors;

/// <summary>A simulated message: its id and what it asks.</summary>
public sealed record Msg(int Id, Act Act);

/// <summary>
/// What happened to every simulated message (handled, crashed on, dead-lettered) and whether a handler ran after the
/// orderly stop had finished; thread-safe, written by the workers and the system's dead-letter stream.
/// </summary>
public sealed class Ledger : IObserver<DeadLetter>
{
    private readonly ConcurrentDictionary<int, int> processed = new();
    private readonly ConcurrentDictionary<int, int> dead = new();
    private readonly ConcurrentDictionary<int, byte> crashed = new();
    private readonly ConcurrentQueue<string> afterStop = new();
    private readonly ConcurrentDictionary<int, Msg> sent = new();
    private readonly ConcurrentQueue<string> trace = new();
    private volatile bool stopped;

    /// <summary>What happened, in order: sends, handler entries, dead letters, supervision events.</summary>
    public IReadOnlyCollection<string> Trace => trace;

    public void Note(string entry) => trace.Enqueue(entry);

    /// <summary>Handlers that began after the orderly stop had finished.</summary>
    public IReadOnlyCollection<string> RanAfterStop => afterStop;

    public void Sent(Msg message, string to)
    {
        sent[message.Id] = message;
        Note($"send {message.Id} ({message.Act}) to {to}");
    }

    /// <summary>Marks the orderly stop finished: from now on no handler may begin.</summary>
    public void Stopped() => stopped = true;

    public void Entered(string actor, Msg message)
    {
        Note($"{actor} handles {message.Id}");
        if (stopped)
        {
            afterStop.Enqueue($"{actor} began handling message {message.Id} ({message.Act}) after the stop had finished");
        }
    }

    public void Processed(Msg message) => processed.AddOrUpdate(message.Id, 1, (_, n) => n + 1);

    /// <summary>True the first time <paramref name="message"/> crashes its handler; false when it is handled again after a restart.</summary>
    public bool FirstCrash(Msg message) => crashed.TryAdd(message.Id, 0);

    /// <summary>
    /// Messages broken against conservation: a message sent and neither handled nor dead-lettered (lost), one
    /// dead-lettered twice, and one that never crashed but was handled twice or both handled and dead-lettered.
    /// </summary>
    public IReadOnlyList<string> Unconserved()
    {
        var problems = new List<string>();
        foreach (var (id, message) in sent.OrderBy(p => p.Key))
        {
            var handled = processed.GetValueOrDefault(id);
            var letters = dead.GetValueOrDefault(id);
            if (handled == 0 && letters == 0 && !crashed.ContainsKey(id))
            {
                problems.Add($"message {id} ({message.Act}) was lost: never handled, never dead-lettered");
            }
            else if (handled == 0 && letters == 0)
            {
                problems.Add($"message {id} ({message.Act}) crashed its handler and was then lost: not handled again, not dead-lettered");
            }
            else if (letters > 1)
            {
                problems.Add($"message {id} ({message.Act}) was dead-lettered {letters} times");
            }
            else if (!crashed.ContainsKey(id) && handled + letters > 1)
            {
                problems.Add($"message {id} ({message.Act}) was handled {handled} times and dead-lettered {letters} times");
            }
        }

        return problems;
    }

    public void OnNext(DeadLetter value)
    {
        if (value.Message is Msg message)
        {
            Note($"dead letter {message.Id} at {value.Recipient}: {value.Reason}");
            dead.AddOrUpdate(message.Id, 1, (_, n) => n + 1);
        }
    }

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }
}

/// <summary>A supervised worker of the simulation: does what each message asks and tells the ledger.</summary>
public sealed class SimWorker(Ledger ledger, RestartHolds holds, string name) : IActor<Msg>
{
    public async ValueTask ReceiveAsync(Msg message, ActorContext context)
    {
        ledger.Entered(name, message);
        switch (message.Act)
        {
            case Act.Crash when ledger.FirstCrash(message):
                throw new InvalidOperationException($"{name} crashed on message {message.Id}");
            case Act.StopSelf:
                context.Stop();
                break;
            case Act.StopDuringRestart:
                holds.Arm(name);
                context.Stop();
                break;
            case Act.Work when message.Id % 3 == 0:
                await Task.Yield();
                break;
        }

        ledger.Processed(message);
    }
}
