namespace Graph.Engine.Tests.Support;

/// <summary>An observer from a function.</summary>
public sealed class Observer<T>(Action<T> onNext) : IObserver<T>
{
    public void OnNext(T value) => onNext(value);

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }
}
