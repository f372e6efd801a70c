namespace Graph.Engine.Graphs;

/// <summary>
/// How a failing node attempt is retried: total attempts, exponential backoff with optional jitter and a cap,
/// and which exceptions are retried. Immutable; derive variants with <c>with</c>.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>The total number of attempts, including the first.</summary>
    /// <value>Default 3.</value>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The delay before the second attempt.</summary>
    /// <value>Default 100 ms.</value>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The factor applied to the delay after each retry.</summary>
    /// <value>Default 2.</value>
    public double BackoffFactor { get; init; } = 2.0;

    /// <summary>The largest delay between attempts.</summary>
    /// <value>Default 10 s.</value>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether each delay is randomised in [delay/2, delay] ("equal jitter").</summary>
    /// <value>Default true.</value>
    public bool Jitter { get; init; } = true;

    /// <summary>Which exceptions are retried; null retries every exception (never the run's own cancellation).</summary>
    /// <value>Default null.</value>
    public Func<Exception, bool>? ShouldRetry { get; init; }

    /// <summary>The delay before attempt <paramref name="nextAttempt"/> (2 or more), before jitter.</summary>
    /// <param name="nextAttempt">The attempt about to be made.</param>
    /// <returns>The delay, capped by <see cref="MaxDelay"/>.</returns>
    public TimeSpan GetDelay(int nextAttempt)
    {
        var ms = InitialDelay.TotalMilliseconds * Math.Pow(BackoffFactor, Math.Max(0, nextAttempt - 2));
        return ms >= MaxDelay.TotalMilliseconds ? MaxDelay : TimeSpan.FromMilliseconds(ms);
    }

    internal IEnumerable<string> Validate(string node)
    {
        if (MaxAttempts < 1)
        {
            yield return $"Node '{node}': RetryPolicy.MaxAttempts must be at least 1 (was {MaxAttempts}).";
        }

        if (InitialDelay < TimeSpan.Zero || MaxDelay < TimeSpan.Zero)
        {
            yield return $"Node '{node}': RetryPolicy delays must not be negative (InitialDelay {InitialDelay}, MaxDelay {MaxDelay}).";
        }

        if (BackoffFactor < 1.0 || double.IsNaN(BackoffFactor))
        {
            yield return $"Node '{node}': RetryPolicy.BackoffFactor must be at least 1 (was {BackoffFactor}).";
        }
    }
}
