namespace Graph.Engine.Graphs;

/// <summary>
/// The idle deadline of one attempt (<see cref="NodeOptions.IdleTimeout"/>): a timer on the graph's
/// <see cref="TimeProvider"/> that cancels the attempt when it fires, pushed back by every
/// <see cref="NodeContext.Heartbeat"/> of that attempt.
/// </summary>
/// <remarks>
/// A heartbeat races the timer: once the timer has fired, <see cref="Expired"/> stays true and later heartbeats do
/// nothing, so an attempt is never revived after it was given up.
/// </remarks>
internal sealed class IdleDeadline : IDisposable
{
    private readonly TimeSpan idle;
    private readonly CancellationTokenSource attempt;
    private readonly ITimer timer;
    private int expired;

    public IdleDeadline(int attemptNumber, TimeSpan idle, TimeProvider time, CancellationTokenSource attempt)
    {
        Attempt = attemptNumber;
        this.idle = idle;
        this.attempt = attempt;
        timer = time.CreateTimer(static s => ((IdleDeadline)s!).Expire(), this, idle, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The attempt number whose heartbeats count.</summary>
    public int Attempt { get; }

    /// <summary>Whether the attempt went <see cref="NodeOptions.IdleTimeout"/> without a heartbeat.</summary>
    public bool Expired => Volatile.Read(ref expired) != 0;

    /// <summary>Pushes the deadline back by the idle timeout (ignored once expired).</summary>
    public void Beat()
    {
        if (!Expired)
        {
            timer.Change(idle, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose() => timer.Dispose();

    private void Expire()
    {
        if (Interlocked.Exchange(ref expired, 1) == 0)
        {
            try
            {
                attempt.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The attempt ended while the timer fired: nothing left to cancel.
            }
        }
    }
}
