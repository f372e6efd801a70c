namespace Graph.Engine.Actors;

/// <summary>
/// Waits for a task for at most a timeout measured on a <see cref="TimeProvider"/>, and disposes the timeout's timer
/// before the caller continues.
/// </summary>
/// <remarks>
/// <c>Task.WaitAsync(TimeSpan, TimeProvider)</c> disposes its timer only after the awaiting code has run, when that
/// code runs inline on the thread that completed the task. Code after such an await (the rest of a stop or a dispose)
/// could then return while the timer is still armed, and a test's clock would see a timer outlive the stop that made
/// it. Here the timer belongs to a <see cref="CancellationTokenSource"/> this method disposes before it returns.
/// </remarks>
internal static class TimedWait
{
    /// <summary>
    /// Completes when <paramref name="task"/> does (with its result: its exception or cancellation is rethrown), or
    /// throws a <see cref="TimeoutException"/> once <paramref name="timeout"/> has passed on
    /// <paramref name="timeProvider"/>. No timer is left when the returned task completes.
    /// </summary>
    /// <param name="task">The task to wait for.</param>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits as long as the task takes.</param>
    /// <param name="timeProvider">The clock the timeout is measured on.</param>
    public static async Task WithinAsync(this Task task, TimeSpan timeout, TimeProvider timeProvider)
    {
        if (task.IsCompleted || timeout == Timeout.InfiniteTimeSpan)
        {
            await task.ConfigureAwait(false);
            return;
        }

        var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        try
        {
            await task.WaitAsync(timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (exception.CancellationToken == timeoutSource.Token)
        {
            throw new TimeoutException($"The operation did not complete within {timeout}.");
        }
        finally
        {
            timeoutSource.Dispose();
        }
    }
}
