namespace Graph.Engine.Tests.Support;

/// <summary>Bounded waits: a bug fails the test instead of hanging CI.</summary>
public static class Wait
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static Task Bounded(this Task task) => task.WaitAsync(Timeout);

    public static Task<T> Bounded<T>(this Task<T> task) => task.WaitAsync(Timeout);

    public static Task Bounded(this ValueTask task) => task.AsTask().WaitAsync(Timeout);

    /// <summary>Polls a condition while yielding; fails after the timeout. For conditions with no completion task to await.</summary>
    public static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Yield();
        }
    }
}
