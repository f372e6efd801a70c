using Graph.Engine.Diagnostics;
using Graph.Engine.Supervision;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Graph.Engine.Graphs;

/// <summary>
/// How a failing node attempt is retried: total attempts, exponential backoff with optional jitter and a cap,
/// and which exceptions are retried. Immutable; derive variants with <c>with</c>. The compiled graph runs it as a
/// Polly retry on <see cref="GraphCompileOptions.TimeProvider"/>; the delays come from the engine's one backoff
/// calculation, shared with <see cref="Supervision.RestartDelay"/>.
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

    /// <summary>The jitter's random source; null means <see cref="System.Random.Shared"/>. Inject a seeded one in tests.</summary>
    /// <value>Default null.</value>
    public Random? Random { get; init; }

    /// <summary>Which exceptions are retried; null retries every exception (never the run's own cancellation).</summary>
    /// <value>Default null.</value>
    public Func<Exception, bool>? ShouldRetry { get; init; }

    /// <summary>The delay before attempt <paramref name="nextAttempt"/> (2 or more), before jitter.</summary>
    /// <param name="nextAttempt">The attempt about to be made.</param>
    /// <returns>The delay, capped by <see cref="MaxDelay"/>.</returns>
    public TimeSpan GetDelay(int nextAttempt) =>
        Backoff.Delay(InitialDelay, BackoffFactor, MaxDelay, nextAttempt - 2, 1, 1, null);

    /// <summary>The delay before attempt <paramref name="nextAttempt"/>, jitter included: in [delay/2, delay] with <see cref="Jitter"/>.</summary>
    internal TimeSpan DelayBefore(int nextAttempt) =>
        Backoff.Delay(InitialDelay, BackoffFactor, MaxDelay, nextAttempt - 2, Jitter ? 0.5 : 1, 1, Random);

    /// <summary>
    /// This policy as a Polly retry on <paramref name="timeProvider"/>: never retries an interrupt or the run's own
    /// cancellation, logs each retry; null when there is nothing to retry (one attempt).
    /// </summary>
    internal ResiliencePipeline? ToPipeline(TimeProvider timeProvider, ILogger logger)
    {
        if (MaxAttempts <= 1)
        {
            return null;
        }

        var filter = ShouldRetry;
        return new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = MaxAttempts - 1,
                ShouldHandle = args => new ValueTask<bool>(
                    args.Outcome.Exception is { } ex
                    && ex is not NodeInterruptException
                    && ex is not ParentCommandException
                    && !args.Context.CancellationToken.IsCancellationRequested
                    && (filter is null || filter(ex))),
                DelayGenerator = args => new ValueTask<TimeSpan?>(DelayBefore(args.AttemptNumber + 2)),
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(NodeAttempt.Key, out var attempt))
                    {
                        GraphLog.NodeRetry(logger, args.Outcome.Exception!, attempt.RunId, attempt.Node, attempt.Step, args.AttemptNumber + 1);
                    }

                    return default;
                },
            })
            .Build();
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
