using Graph.Engine.Testing;

namespace Graph.Engine.Tests.Support;

/// <summary>Bounded waits: a bug fails the test instead of hanging CI. The kit's <see cref="BoundedWait"/> under the suite's names.</summary>
public static class Wait
{
    public static readonly TimeSpan Timeout = BoundedWait.Timeout;

    public static Task Bounded(this Task task) => task.WaitAsync(Timeout);

    public static Task<T> Bounded<T>(this Task<T> task) => task.WaitAsync(Timeout);

    public static Task Bounded(this ValueTask task) => task.AsTask().WaitAsync(Timeout);

    /// <summary>Awaits <paramref name="task"/>; fails the test naming <paramref name="what"/> after <see cref="Timeout"/>.</summary>
    public static Task For(Task task, string what) => BoundedWait.For(task, what);

    /// <summary>A task that completes when <paramref name="token"/> is cancelled.</summary>
    public static Task WhenCancelled(this CancellationToken token)
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.UnsafeRegister(static s => ((TaskCompletionSource)s!).TrySetResult(), cancelled);
        return cancelled.Task;
    }
}
