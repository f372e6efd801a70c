using System.Collections.Concurrent;
using Graph.Engine.Actors;
using Graph.Engine.Diagnostics;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

/// <summary>A message for <see cref="Probe"/> workers.</summary>
public sealed record Cmd(string Kind, int Value = 0, TaskCompletionSource? Gate = null, ReplyChannel<int>? Reply = null)
{
    public static Cmd Work(int value) => new("work", value);

    public static Cmd Fail(int value = -1) => new("fail", value);

    public static Cmd FailWith(Exception exception) => new("fail", -1) { Exception = exception };

    public static Cmd StopSelf => new("stop");

    public static Cmd Block(TaskCompletionSource gate, int value = 0) => new("block", value, gate);

    /// <summary>Blocks until the incarnation is cancelled; <paramref name="started"/> (if any) is set when the handler begins.</summary>
    public static Cmd BlockCancellable(int value = 0, TaskCompletionSource? started = null) => new("block-cancellable", value, started);

    public Exception? Exception { get; init; }
}

/// <summary>Shared journal of what the probes did: "start:id", "stop:id" (instance disposed), "got:id:value".</summary>
public sealed class Journal
{
    private readonly ConcurrentQueue<string> _entries = new();
    private readonly Signal _changed = new();

    public IReadOnlyList<string> Entries => [.. _entries];

    public void Add(string entry)
    {
        _entries.Enqueue(entry);
        _changed.Changed();
    }

    /// <summary>Completes once the journal satisfies <paramref name="condition"/>; fails the test naming <paramref name="what"/> after the timeout.</summary>
    public Task WaitUntil(Func<Journal, bool> condition, string what) => Wait.For(When(condition), what);

    /// <summary>Completes once the journal satisfies <paramref name="condition"/> (unbounded: combine it, then bound it).</summary>
    public Task When(Func<Journal, bool> condition) => _changed.When(() => condition(this));

    public IReadOnlyList<string> Since(int mark) => [.. Entries.Skip(mark)];

    public int Count => _entries.Count;

    public int CountOf(string entry) => Entries.Count(e => e == entry);
}

/// <summary>A worker that records its life in a journal and does what its messages say.</summary>
public sealed class Probe(string id, Journal journal) : IActor<Cmd>, IDisposable
{
    private int _handled;

    public static Func<IActor<Cmd>> Factory(string id, Journal journal) => () =>
    {
        journal.Add("start:" + id);
        return new Probe(id, journal);
    };

    public static ChildSpec Spec(string id, Journal journal, RestartType restart = RestartType.Permanent, ChildShutdown? shutdown = null) =>
        ChildSpec.Worker(id, Factory(id, journal), restart, shutdown);

    public async ValueTask ReceiveAsync(Cmd message, ActorContext context)
    {
        _handled++;
        switch (message.Kind)
        {
            case "fail":
                throw message.Exception ?? new InvalidOperationException($"{id} failed on {message.Value}");
            case "stop":
                context.Stop();
                break;
            case "block":
                await message.Gate!.Task.WaitAsync(Wait.Timeout);
                break;
            case "block-cancellable":
                message.Gate?.TrySetResult();
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
                break;
        }

        journal.Add($"got:{id}:{message.Value}");
        message.Reply?.Reply(_handled);
    }

    public void Dispose() => journal.Add("stop:" + id);
}

/// <summary>Records an actor system's events.</summary>
public sealed class EventRecorder : IDisposable
{
    private readonly ConcurrentQueue<ActorEvent> _events = new();
    private readonly Signal _changed = new();
    private readonly IDisposable _subscription;

    public EventRecorder(ActorSystem system) => _subscription = system.Events.Subscribe(new Observer<ActorEvent>(e =>
    {
        _events.Enqueue(e);
        _changed.Changed();
    }));

    public IReadOnlyList<ActorEvent> All => [.. _events];

    public IReadOnlyList<T> Of<T>() where T : ActorEvent => [.. _events.OfType<T>()];

    public Task WaitForAsync<T>(int count, Func<T, bool>? filter = null) where T : ActorEvent =>
        Wait.For(_changed.When(() => _events.OfType<T>().Count(e => filter?.Invoke(e) ?? true) >= count), $"{count} {typeof(T).Name} event(s)");

    public void Dispose() => _subscription.Dispose();
}

public static class SupervisionTestExtensions
{
    /// <summary>Asks a probe child a work item: returns once the current instance handled everything queued before it.</summary>
    public static Task<int> PingAsync(this ActorRef<Cmd> child, int value = 0) =>
        child.AskAsync<int>(r => new Cmd("work", value, null, r), TimeSpan.FromSeconds(20)).Bounded();
}
