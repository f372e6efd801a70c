using Graph.Engine.Supervision;

namespace Graph.Engine.Graphs;

/// <summary>
/// How a supervised durable run (<see cref="CompiledGraph{TState, TUpdate}.RunSupervisedAsync"/>) is restarted: when a
/// node fails after its retries (or a step fails under <see cref="BranchFailurePolicy.ContinueOthers"/>), the run is resumed from the thread's last checkpoint after
/// <see cref="RestartDelay"/>, at most <see cref="MaxRestarts"/> times within <see cref="Period"/> (OTP's restart
/// intensity); one failure more is handled per <see cref="OnExhausted"/>. Immutable; derive variants with <c>with</c>.
/// </summary>
public sealed record RunSupervision
{
    /// <summary>The options used when none are given: 3 restarts within a minute, exponential delay from 1 s to 30 s, then an interrupt.</summary>
    public static RunSupervision Default { get; } = new();

    /// <summary>The most restarts within <see cref="Period"/>; one failure more exhausts the intensity.</summary>
    /// <value>Default 3.</value>
    public int MaxRestarts { get; init; } = 3;

    /// <summary>The sliding window of the restart intensity, on the graph's <see cref="GraphCompileOptions.TimeProvider"/>.</summary>
    /// <value>Default 1 minute.</value>
    public TimeSpan Period { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The delay before each restart (the backoff); its attempt count resets after <see cref="RestartDelay.ResetAfter"/> without a restart.</summary>
    /// <value>Default exponential from 1 s to 30 s with 20% jitter.</value>
    public RestartDelay RestartDelay { get; init; } = RestartDelay.Exponential(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    /// <summary>What happens when the intensity is exhausted.</summary>
    /// <value>Default <see cref="RunExhaustedAction.Interrupt"/>: the thread is left interrupted with a <see cref="RunFailure"/> per failed task.</value>
    public RunExhaustedAction OnExhausted { get; init; } = RunExhaustedAction.Interrupt;

    internal void Validate()
    {
        if (MaxRestarts < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRestarts), MaxRestarts, "RunSupervision.MaxRestarts must not be negative.");
        }

        if (Period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Period), Period, "RunSupervision.Period must be positive.");
        }

        ArgumentNullException.ThrowIfNull(RestartDelay, nameof(RestartDelay));
        if (!Enum.IsDefined(OnExhausted))
        {
            throw new ArgumentOutOfRangeException(nameof(OnExhausted), OnExhausted, "RunSupervision.OnExhausted must be Interrupt or Fail.");
        }
    }
}
