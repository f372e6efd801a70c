namespace Graph.Engine.Actors;

/// <summary>
/// Why an actor stops itself (<see cref="ActorContext.Exit"/>), as OTP's exit reasons: <c>normal</c>,
/// <c>shutdown</c>, <c>{shutdown, Term}</c>, or any other term (abnormal). A supervisor's transient rule reads it:
/// only an abnormal exit restarts a transient child.
/// </summary>
public sealed record ExitReason
{
    private ExitReason(bool isShutdown, bool isAbnormal, object? term)
    {
        IsShutdown = isShutdown;
        IsAbnormal = isAbnormal;
        Term = term;
    }

    /// <summary>A normal exit (OTP's <c>normal</c>), as <see cref="ActorContext.Stop"/>.</summary>
    public static ExitReason Normal { get; } = new(false, false, null);

    /// <summary>True for <see cref="Shutdown"/>: a normal exit that reports a shutdown.</summary>
    public bool IsShutdown { get; }

    /// <summary>True for <see cref="Abnormal"/>: the actor stops as faulted.</summary>
    public bool IsAbnormal { get; }

    /// <summary>The term given with a shutdown or an abnormal exit.</summary>
    public object? Term { get; }

    /// <summary>A shutdown (OTP's <c>shutdown</c>, or <c>{shutdown, Term}</c> with a term): a normal exit.</summary>
    /// <param name="term">An optional term that travels with the exit.</param>
    /// <returns>The reason.</returns>
    public static ExitReason Shutdown(object? term = null) => new(true, false, term);

    /// <summary>An abnormal exit with a custom term: the actor stops as faulted with an <see cref="ActorExitException"/> carrying it.</summary>
    /// <param name="term">The reason.</param>
    /// <returns>The reason.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="term"/> is null.</exception>
    public static ExitReason Abnormal(object term)
    {
        ArgumentNullException.ThrowIfNull(term);
        return new(false, true, term);
    }
}
