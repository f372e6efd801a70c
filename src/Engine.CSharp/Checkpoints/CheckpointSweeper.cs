namespace Graph.Engine.Checkpoints;

/// <summary>
/// Applies a <see cref="RetentionPolicy"/> to a store in the background, every <see cref="Interval"/> on the given
/// <see cref="TimeProvider"/>, reporting to the <see cref="CheckpointRetention.MeterName"/> meter. Dispose it to stop.
/// </summary>
public sealed class CheckpointSweeper : IAsyncDisposable
{
    private readonly ICheckpointer store;
    private readonly RetentionPolicy policy;
    private readonly TimeProvider time;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;

    /// <summary>Starts sweeping: the first sweep runs one <paramref name="interval"/> after construction.</summary>
    /// <param name="store">The store to sweep.</param>
    /// <param name="policy">What to keep.</param>
    /// <param name="interval">The time between sweeps.</param>
    /// <param name="time">The clock; null for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> or <paramref name="policy"/> is null.</exception>
    /// <exception cref="ArgumentException">The policy is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is not positive.</exception>
    public CheckpointSweeper(ICheckpointer store, RetentionPolicy policy, TimeSpan interval, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        this.store = store;
        this.policy = policy;
        this.time = time ?? TimeProvider.System;
        Interval = interval;
        loop = RunAsync();
    }

    /// <summary>Raised after each sweep with its result (on the sweeping thread).</summary>
    public event EventHandler<RetentionResult>? Swept;

    /// <summary>Raised when a sweep fails; the sweeper goes on with the next one.</summary>
    public event EventHandler<Exception>? Failed;

    /// <summary>The time between sweeps.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Stops sweeping and waits for a sweep in progress to end.</summary>
    /// <returns>A task that completes when the sweeper has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var token = stopping.Token;
        while (!token.IsCancellationRequested)
        {
            await Task.Delay(Interval, time, token).ConfigureAwait(false);
            try
            {
                var result = await CheckpointRetention.ApplyAsync(store, policy, time, dryRun: false, token).ConfigureAwait(false);
                Swept?.Invoke(this, result);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                Failed?.Invoke(this, exception);
            }
        }
    }
}
