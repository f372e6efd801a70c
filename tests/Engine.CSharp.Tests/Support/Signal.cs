namespace Graph.Engine.Tests.Support;

/// <summary>
/// Waits for a condition over state that a test's handlers or observers change: the owner calls <see cref="Changed"/>
/// after each change, and every waiter whose condition now holds completes. No polling.
/// </summary>
public sealed class Signal
{
    private readonly object _lock = new();
    private readonly List<(Func<bool> Condition, TaskCompletionSource Done)> _waiters = [];

    /// <summary>Completes once <paramref name="condition"/> holds (at once if it already does); not bounded, see <see cref="Wait.For"/>.</summary>
    public Task When(Func<bool> condition)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (condition())
            {
                return Task.CompletedTask;
            }

            _waiters.Add((condition, done));
        }

        return done.Task;
    }

    /// <summary>Re-checks the waiting conditions; call after every change of the state they read.</summary>
    public void Changed()
    {
        lock (_lock)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition())
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}
