namespace Graph.Engine.Orleans.Tests.Support;

/// <summary>Bounded waits: a bug fails the test instead of hanging CI.</summary>
public static class Wait
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Awaits <paramref name="task"/>; fails the test naming <paramref name="what"/> after <see cref="Timeout"/>.</summary>
    public static Task For(Task task, string what) => For(task, what, Timeout);

    /// <summary>Awaits <paramref name="task"/>; fails the test naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task For(Task task, string what, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Timed out after {timeout.TotalSeconds:F0} s waiting until {what}.");
        }
    }

    /// <summary>Awaits <paramref name="task"/> and returns its result; fails the test naming <paramref name="what"/> after <see cref="Timeout"/>.</summary>
    public static async Task<T> For<T>(Task<T> task, string what)
    {
        await For((Task)task, what).ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }
}
