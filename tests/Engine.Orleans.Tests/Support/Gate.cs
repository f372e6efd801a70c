namespace Graph.Engine.Orleans.Tests.Support;

/// <summary>
/// Holds the first run that reaches it until released; later runs (a run resumed elsewhere) pass at once. Tells the
/// test when the first run has arrived.
/// </summary>
public sealed class Gate
{
    private readonly TaskCompletionSource entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int arrivals;

    /// <summary>Completes when a run has reached the gate.</summary>
    public Task Entered => entered.Task;

    public void Release() => released.TrySetResult();

    public Task PassAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref arrivals) > 1)
        {
            return Task.CompletedTask;
        }

        entered.TrySetResult();
        return released.Task.WaitAsync(cancellationToken);
    }
}
