namespace Graph.Engine.Orleans;

/// <summary>The run a thread grain has in flight: its call id, how to cancel it, and when it has ended.</summary>
internal sealed class RunningCall(string callId)
{
    private readonly TaskCompletionSource ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string CallId { get; } = callId;

    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Completes (never faults) when the run has ended, however it ended.</summary>
    public Task Ended => ended.Task;

    /// <summary>Whether the activation is going away with the run unfinished (its record must stay for a takeover).</summary>
    public bool Abandoned { get; private set; }

    public void Abandon()
    {
        Abandoned = true;
        Cancellation.Cancel();
    }

    public void End()
    {
        ended.TrySetResult();
        Cancellation.Dispose();
    }
}
