using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Graph.Engine.Actors;

/// <summary>Options for an <see cref="ActorSystem"/>. Immutable; derive variants with <c>with</c>.</summary>
public sealed record ActorSystemOptions
{
    /// <summary>The options used when none are given.</summary>
    public static ActorSystemOptions Default { get; } = new();

    /// <summary>The clock for timeouts, restart windows, backoff and the watchdog. Inject a manual one in tests.</summary>
    /// <value>Defaults to <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where structured logs go.</summary>
    /// <value>Defaults to <see cref="NullLoggerFactory.Instance"/>.</value>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>How many idle envelopes each message type's pool keeps for reuse; size it for the messages in flight.</summary>
    /// <value>Defaults to 4,096.</value>
    public int EnvelopePoolSize { get; init; } = 4096;

    /// <summary>When set, a watchdog reports (event and warning log) any handler running longer than this.</summary>
    /// <value>Defaults to <see langword="null"/>: no watchdog.</value>
    public TimeSpan? SlowHandlerThreshold { get; init; }

    /// <summary>How many recent failures <see cref="ActorSystem.GetHealth"/> reports.</summary>
    /// <value>Defaults to 32.</value>
    public int RecentFailureCount { get; init; } = 32;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentNullException.ThrowIfNull(LoggerFactory, nameof(LoggerFactory));
        if (EnvelopePoolSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(EnvelopePoolSize), EnvelopePoolSize, "EnvelopePoolSize must be at least 1.");
        }

        if (SlowHandlerThreshold is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SlowHandlerThreshold), t, "SlowHandlerThreshold must be positive.");
        }

        if (RecentFailureCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RecentFailureCount), RecentFailureCount, "RecentFailureCount must not be negative.");
        }
    }
}
