using Graph.Engine.Actors;

namespace Graph.Engine.Supervision;

// Starts that may be ignored (OTP's start function returning ignore; see ChildSpec.WorkerAsync).
public sealed partial class Supervisor
{
    /// <summary>
    /// Starts a child at run time, after the others (OTP's <c>start_child</c>), answering null when its start
    /// returned <see cref="ChildStart.Ignore{TMessage}"/>: the spec is then kept with no actor (dropped when
    /// temporary), as OTP's <c>{ok, undefined}</c>.
    /// </summary>
    /// <param name="spec">Its spec; the id must be new.</param>
    /// <param name="cancellationToken">Cancels the wait (not the start).</param>
    /// <returns>The child's actor, or <see langword="null"/> when its start was ignored.</returns>
    /// <exception cref="ArgumentException">The id is taken, or the child is significant and <see cref="SupervisorOptions.AutoShutdown"/> is never.</exception>
    /// <exception cref="ChildStartException">The child failed to start.</exception>
    public Task<ActorRef?> StartChildOrNullAsync(ChildSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ChildSpec.CheckSignificant([spec], Options.AutoShutdown, Path);
        return AskAsync<ActorRef?>(r => new StartChildCommand(spec, r), cancellationToken);
    }

    /// <summary>
    /// Starts a terminated or ignored child again from its spec (OTP's <c>restart_child</c>), answering null when
    /// its start returned <see cref="ChildStart.Ignore{TMessage}"/> again (the spec stays, with no actor).
    /// </summary>
    /// <param name="id">The child's id.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The child's new actor, or <see langword="null"/> when its start was ignored.</returns>
    /// <exception cref="KeyNotFoundException">Unknown id.</exception>
    /// <exception cref="InvalidOperationException">The child is running or restarting.</exception>
    /// <exception cref="ChildStartException">The child failed to start.</exception>
    public Task<ActorRef?> RestartChildOrNullAsync(string id, CancellationToken cancellationToken = default) =>
        AskAsync<ActorRef?>(r => new RestartChildCommand(id, r), cancellationToken);

    private InvalidOperationException Ignored(string id) =>
        new($"The start of child '{id}' of supervisor '{Path}' returned ignore: it is not running. Use StartChildOrNullAsync or RestartChildOrNullAsync to get null instead.");
}
