using System.Diagnostics;

namespace Graph.Engine.Supervision;

/// <summary>
/// How a supervisor stops a child (OTP's shutdown): brutal (cancel at once), a timeout (let it finish and
/// drain its queue, then cancel its token and dead-letter the rest), or infinity (wait as long as it takes).
/// </summary>
/// <remarks>
/// A .NET task cannot be killed: "cancel" cancels the handler's <see cref="Graph.Engine.Actors.ActorContext.CancellationToken"/>
/// and dead-letters what is queued; a handler that ignores its token is still waited for.
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public readonly record struct ChildShutdown
{
    private ChildShutdown(TimeSpan timeout) => Timeout = timeout;

    /// <summary>Cancel at once: <see cref="TimeSpan.Zero"/>.</summary>
    public static ChildShutdown Brutal => new(TimeSpan.Zero);

    /// <summary>Wait as long as it takes: <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>. The default for supervisor children.</summary>
    public static ChildShutdown Infinity => new(System.Threading.Timeout.InfiniteTimeSpan);

    /// <summary>The default for workers, as in OTP: five seconds.</summary>
    public static ChildShutdown DefaultForWorkers => new(TimeSpan.FromSeconds(5));

    /// <summary>How long the child may take: <see cref="TimeSpan.Zero"/> (brutal), positive, or infinite.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>True for <see cref="Brutal"/>.</summary>
    public bool IsBrutal => Timeout == TimeSpan.Zero;

    /// <summary>True for <see cref="Infinity"/>.</summary>
    public bool IsInfinite => Timeout == System.Threading.Timeout.InfiniteTimeSpan;

    /// <summary>Let the child finish and drain for at most <paramref name="timeout"/>, then cancel it.</summary>
    /// <param name="timeout">Positive.</param>
    /// <returns>The shutdown.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive.</exception>
    public static ChildShutdown After(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A shutdown timeout must be positive; use ChildShutdown.Brutal or ChildShutdown.Infinity.");
        }

        return new ChildShutdown(timeout);
    }

    /// <inheritdoc />
    public override string ToString() => IsBrutal ? "brutal" : IsInfinite ? "infinity" : Timeout.ToString();
}
