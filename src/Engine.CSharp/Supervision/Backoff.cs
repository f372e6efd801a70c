namespace Graph.Engine.Supervision;

/// <summary>
/// The engine's one backoff calculation, shared by node retries (<see cref="Graphs.RetryPolicy"/>) and supervisor
/// restart delays (<see cref="RestartDelay"/>): <c>initial * factor^exponent</c>, capped, scaled by a uniform random
/// factor in [<c>jitterLow</c>, <c>jitterHigh</c>] drawn from the injected source, and capped again. The waits
/// themselves run on the caller's <see cref="TimeProvider"/>.
/// </summary>
internal static class Backoff
{
    /// <summary>The delay for <paramref name="exponent"/> (0 for the first delay).</summary>
    /// <param name="initial">The first delay.</param>
    /// <param name="factor">The growth per step; at least 1.</param>
    /// <param name="max">The cap, jitter included.</param>
    /// <param name="exponent">How many times the delay has grown; clamped to [0, 1000].</param>
    /// <param name="jitterLow">The smallest random factor.</param>
    /// <param name="jitterHigh">The largest random factor; equal to <paramref name="jitterLow"/> for no randomness.</param>
    /// <param name="random">The random source; null is <see cref="Random.Shared"/>. Used under its own lock (a seeded <see cref="Random"/> is not thread-safe).</param>
    /// <returns>The delay, in [0, <paramref name="max"/>].</returns>
    public static TimeSpan Delay(TimeSpan initial, double factor, TimeSpan max, int exponent, double jitterLow, double jitterHigh, Random? random)
    {
        if (max <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var ticks = Math.Min(max.Ticks, initial.Ticks * Math.Pow(factor, Math.Clamp(exponent, 0, 1000)));
        var scale = jitterHigh > jitterLow ? jitterLow + ((jitterHigh - jitterLow) * Sample(random)) : jitterLow;
        return TimeSpan.FromTicks((long)Math.Clamp(ticks * scale, 0, max.Ticks));
    }

    private static double Sample(Random? random)
    {
        if (random is null)
        {
            return Random.Shared.NextDouble();
        }

        lock (random)
        {
            return random.NextDouble();
        }
    }
}
