using NUnit.Framework;

namespace Graph.Engine.Testing;

/// <summary>
/// Waits that end: a test awaits a task through <see cref="For(Task, string)"/>, and a bug that never completes it
/// fails the test with a message naming what it waited for, instead of hanging the test run.
/// </summary>
public static class BoundedWait
{
    /// <summary>How long a bounded wait lasts in real time: 20 seconds, long enough for a loaded CI machine.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>Awaits <paramref name="task"/>; fails the test naming <paramref name="what"/> after <see cref="Timeout"/>.</summary>
    /// <param name="task">The task to await.</param>
    /// <param name="what">What the task's completion means, for the failure message ("the node started").</param>
    /// <returns>A task that completes with <paramref name="task"/>, or fails the test.</returns>
    public static async Task For(Task task, string what)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            await task.WaitAsync(Timeout).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            Assert.Fail($"Timed out waiting until {what}.");
        }
    }

    /// <summary>Awaits <paramref name="task"/> and returns its result; fails the test naming <paramref name="what"/> after <see cref="Timeout"/>.</summary>
    /// <typeparam name="T">The task's result type.</typeparam>
    /// <param name="task">The task to await.</param>
    /// <param name="what">What the task's completion means, for the failure message.</param>
    /// <returns>The task's result.</returns>
    public static async Task<T> For<T>(Task<T> task, string what)
    {
        await For((Task)task, what).ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }
}
