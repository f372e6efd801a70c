using System.Diagnostics;

namespace Graph.Engine.Supervision;

/// <summary>
/// How long a supervisor waits before restarting a child: none (OTP's behaviour), a fixed delay, or an
/// exponential backoff with jitter and a cap. The attempt count of a child resets once it has run for
/// <see cref="ResetAfter"/> without a restart. Delays run on the system's <see cref="TimeProvider"/> and are
/// cancelled when the supervisor stops (a stopping supervisor never starts a child).
/// </summary>
/// <remarks>Immutable; build one with <see cref="None"/>, <see cref="Fixed"/> or <see cref="Exponential"/>.</remarks>
[DebuggerDisplay("{ToString(),nq}")]
public sealed record RestartDelay
{
    private RestartDelay(TimeSpan initial, TimeSpan max, double factor, double jitter, TimeSpan resetAfter, Random? random)
    {
        Initial = initial;
        Max = max;
        Factor = factor;
        Jitter = jitter;
        ResetAfter = resetAfter;
        Random = random;
    }

    /// <summary>Restart at once, as OTP does. The default.</summary>
    public static RestartDelay None { get; } = new(TimeSpan.Zero, TimeSpan.Zero, 1, 0, TimeSpan.Zero, null);

    /// <summary>The first delay (attempt 1).</summary>
    public TimeSpan Initial { get; }

    /// <summary>The cap: no delay is longer, jitter included.</summary>
    public TimeSpan Max { get; }

    /// <summary>The growth per attempt (1 for a fixed delay).</summary>
    public double Factor { get; }

    /// <summary>The jitter as a fraction of the delay: the delay is multiplied by a uniform factor in [1 - Jitter, 1 + Jitter].</summary>
    public double Jitter { get; }

    /// <summary>After this long without a restart, a child's attempt count starts again from 1.</summary>
    public TimeSpan ResetAfter { get; }

    /// <summary>The jitter's random source; <see langword="null"/> means <see cref="System.Random.Shared"/>. Inject a seeded one in tests.</summary>
    public Random? Random { get; }

    /// <summary>The same delay before every restart.</summary>
    /// <param name="delay">Non-negative.</param>
    /// <param name="resetAfter">Quiet period after which the attempt count resets; defaults to 10 times <paramref name="delay"/>.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative.</exception>
    public static RestartDelay Fixed(TimeSpan delay, TimeSpan? resetAfter = null)
    {
        NonNegative(delay, nameof(delay));
        var reset = resetAfter ?? delay * 10;
        NonNegative(reset, nameof(resetAfter));
        return new RestartDelay(delay, delay, 1, 0, reset, null);
    }

    /// <summary>
    /// <c>min(max, initial * factor^(attempt - 1))</c>, multiplied by a random factor in [1 - jitter, 1 + jitter],
    /// and capped at <paramref name="max"/>.
    /// </summary>
    /// <param name="initial">The first delay; positive.</param>
    /// <param name="max">The cap; at least <paramref name="initial"/>.</param>
    /// <param name="factor">The growth per attempt; at least 1. Defaults to 2.</param>
    /// <param name="jitter">Fraction in [0, 1]. Defaults to 0.2.</param>
    /// <param name="resetAfter">Quiet period after which the attempt count resets; defaults to twice <paramref name="max"/>.</param>
    /// <param name="random">The jitter's source; defaults to <see cref="System.Random.Shared"/>.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; the message names it.</exception>
    public static RestartDelay Exponential(TimeSpan initial, TimeSpan max, double factor = 2, double jitter = 0.2, TimeSpan? resetAfter = null, Random? random = null)
    {
        if (initial <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(initial), initial, "The initial restart delay must be positive.");
        }

        if (max < initial)
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, $"The maximum restart delay must be at least the initial delay ({initial}).");
        }

        if (!(factor >= 1) || double.IsInfinity(factor))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The backoff factor must be a finite number of at least 1.");
        }

        if (!(jitter >= 0 && jitter <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "The jitter must be between 0 and 1.");
        }

        var reset = resetAfter ?? max * 2;
        NonNegative(reset, nameof(resetAfter));
        return new RestartDelay(initial, max, factor, jitter, reset, random);
    }

    /// <summary>The delay before restart number <paramref name="attempt"/> (1-based) of one child.</summary>
    /// <param name="attempt">The attempt, from 1.</param>
    /// <returns>The delay, never above <see cref="Max"/>.</returns>
    public TimeSpan DelayFor(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        return Backoff.Delay(Initial, Factor, Max, attempt - 1, 1 - Jitter, 1 + Jitter, Random);
    }

    /// <inheritdoc />
    public override string ToString() =>
        Max == TimeSpan.Zero ? "none"
        : Factor == 1 && Jitter == 0 ? $"fixed({Initial})"
        : $"exponential({Initial}..{Max}, x{Factor}, ±{Jitter:P0})";

    private static void NonNegative(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative.");
        }
    }
}
