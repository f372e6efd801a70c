namespace Graph.Engine.Diagnostics;

/// <summary>
/// A hot <see cref="IObservable{T}"/> with copy-on-write subscribers. Publishing is lock-free and costs
/// nothing when nobody subscribes; an observer that throws is removed so it cannot break the publisher.
/// </summary>
internal sealed class ObservableStream<T> : IObservable<T>
{
    private IObserver<T>[] _observers = [];

    public bool HasObservers => Volatile.Read(ref _observers).Length > 0;

    public IDisposable Subscribe(IObserver<T> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        Update(static (list, o) => [.. list, o], observer);
        return new Subscription(this, observer);
    }

    public void Publish(T value)
    {
        foreach (var observer in Volatile.Read(ref _observers))
        {
            try
            {
                observer.OnNext(value);
            }
#pragma warning disable CA1031 // A subscriber's bug must not break the runtime that publishes to it.
            catch (Exception)
#pragma warning restore CA1031
            {
                Unsubscribe(observer);
            }
        }
    }

    public void Complete()
    {
        var observers = Interlocked.Exchange(ref _observers, []);
        foreach (var observer in observers)
        {
            observer.OnCompleted();
        }
    }

    private void Unsubscribe(IObserver<T> observer) =>
        Update(static (list, o) => Array.FindAll(list, x => !ReferenceEquals(x, o)), observer);

    private void Update(Func<IObserver<T>[], IObserver<T>, IObserver<T>[]> change, IObserver<T> observer)
    {
        while (true)
        {
            var current = Volatile.Read(ref _observers);
            if (Interlocked.CompareExchange(ref _observers, change(current, observer), current) == current)
            {
                return;
            }
        }
    }

    private sealed class Subscription(ObservableStream<T> stream, IObserver<T> observer) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                stream.Unsubscribe(observer);
            }
        }
    }
}
