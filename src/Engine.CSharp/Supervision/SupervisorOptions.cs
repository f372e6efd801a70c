using Graph.Engine.Actors;

namespace Graph.Engine.Supervision;

/// <summary>A supervisor's strategy, restart intensity, decider and restart delay. Immutable; derive variants with <c>with</c>.</summary>
public sealed record SupervisorOptions
{
    /// <summary>The options used when none are given: one-for-one, at most 1 restart in 5 seconds (OTP's defaults).</summary>
    public static SupervisorOptions Default { get; } = new();

    /// <summary>Which children are restarted when one must be.</summary>
    /// <value>Defaults to <see cref="SupervisionStrategy.OneForOne"/>.</value>
    public SupervisionStrategy Strategy { get; init; } = SupervisionStrategy.OneForOne;

    /// <summary>
    /// The most restarts allowed within <see cref="Period"/> (over all children). One more makes the supervisor
    /// stop all its children and fail with a <see cref="RestartIntensityExceededException"/>.
    /// </summary>
    /// <value>Defaults to 1, as OTP.</value>
    public int MaxRestarts { get; init; } = 1;

    /// <summary>The sliding window of the restart intensity, on the system's <see cref="TimeProvider"/>.</summary>
    /// <value>Defaults to 5 seconds, as OTP.</value>
    public TimeSpan Period { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Maps a failure to a directive; <see cref="SupervisorDirective.Restart"/> means "restart per the restart type".</summary>
    /// <value>Defaults to <see cref="Decider.RestartAlways"/>.</value>
    public Func<ChildFailure, SupervisorDirective> Decider { get; init; } = Supervision.Decider.RestartAlways;

    /// <summary>The delay before each restart.</summary>
    /// <value>Defaults to <see cref="RestartDelay.None"/>, as OTP.</value>
    public RestartDelay RestartDelay { get; init; } = RestartDelay.None;

    /// <summary>
    /// Whether the supervisor shuts itself down (a shutdown, not a failure) when its significant children
    /// (<see cref="ChildSpec.AsSignificant"/>) exit on their own and are not restarted. A child the supervisor
    /// terminates itself (<see cref="Supervisor.TerminateChildAsync"/>, a group restart, its own stop) never counts.
    /// </summary>
    /// <value>Defaults to <see cref="AutoShutdown.Never"/>, as OTP.</value>
    public AutoShutdown AutoShutdown { get; init; } = AutoShutdown.Never;

    /// <summary>
    /// The rule for the messages queued to the children a group restart restarts (the failed child included). A
    /// one-for-one restart in place always keeps its queue.
    /// </summary>
    /// <value>Defaults to <see cref="QueuedMessages.Keep"/>.</value>
    public QueuedMessages QueuedOnGroupRestart { get; init; } = QueuedMessages.Keep;

    /// <summary>
    /// How long a brutal kill (<see cref="ChildShutdown.Brutal"/>), or a shutdown past its timeout, waits for a
    /// handler that ignores its cancelled token. A .NET task cannot be killed as an Erlang process can: after this
    /// bound the child is abandoned (<see cref="ChildAbandoned"/>; it leaves the tree and its path, and stops
    /// whenever the handler returns) and the supervisor goes on. <see cref="Timeout.InfiniteTimeSpan"/>
    /// waits for ever.
    /// </summary>
    /// <value>Defaults to 5 seconds.</value>
    public TimeSpan KillTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The supervisor actor's own options. Its mailbox is always unbounded (it only carries control messages, and
    /// a lost failure report would hang a child): only <see cref="ActorOptions.DrainTimeout"/> is taken from here.
    /// </summary>
    /// <value>Defaults to <see cref="ActorOptions.Default"/>.</value>
    public ActorOptions ActorOptions { get; init; } = ActorOptions.Default;

    internal void Validate(string path)
    {
        if (!Enum.IsDefined(Strategy))
        {
            throw new ArgumentOutOfRangeException(nameof(Strategy), Strategy, $"Supervisor '{path}': unknown strategy.");
        }

        if (MaxRestarts < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRestarts), MaxRestarts, $"Supervisor '{path}': MaxRestarts must not be negative.");
        }

        if (Period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Period), Period, $"Supervisor '{path}': Period must be positive.");
        }

        if (!Enum.IsDefined(AutoShutdown))
        {
            throw new ArgumentOutOfRangeException(nameof(AutoShutdown), AutoShutdown, $"Supervisor '{path}': unknown auto-shutdown rule.");
        }

        if (!Enum.IsDefined(QueuedOnGroupRestart))
        {
            throw new ArgumentOutOfRangeException(nameof(QueuedOnGroupRestart), QueuedOnGroupRestart, $"Supervisor '{path}': unknown queued-messages rule.");
        }

        if (KillTimeout < TimeSpan.Zero && KillTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(KillTimeout), KillTimeout, $"Supervisor '{path}': KillTimeout must be non-negative or infinite.");
        }

        ArgumentNullException.ThrowIfNull(Decider, nameof(Decider));
        ArgumentNullException.ThrowIfNull(RestartDelay, nameof(RestartDelay));
        ArgumentNullException.ThrowIfNull(ActorOptions, nameof(ActorOptions));
    }
}
