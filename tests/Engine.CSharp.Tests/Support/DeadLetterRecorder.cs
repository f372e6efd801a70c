using System.Collections.Concurrent;
using Graph.Engine.Actors;

namespace Graph.Engine.Tests.Support;

/// <summary>Records an actor system's dead letters.</summary>
public sealed class DeadLetterRecorder : IObserver<DeadLetter>, IDisposable
{
    private readonly ConcurrentQueue<DeadLetter> _letters = new();
    private readonly IDisposable _subscription;

    public DeadLetterRecorder(ActorSystem system) => _subscription = system.DeadLetters.Subscribe(this);

    public IReadOnlyList<DeadLetter> Letters => [.. _letters];

    public int Count => _letters.Count;

    public IReadOnlyList<T> Messages<T>(DeadLetterReason reason) =>
        [.. _letters.Where(l => l.Reason == reason).Select(l => (T)l.Message!)];

    public void OnNext(DeadLetter value) => _letters.Enqueue(value);

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }

    public void Dispose() => _subscription.Dispose();
}
