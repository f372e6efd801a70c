using System.Diagnostics;
using Graph.Engine.Actors;

namespace Graph.Engine.Supervision;

/// <summary>
/// How a supervisor starts, restarts and stops one child: its id (also its actor name), a factory called on
/// every start, its restart type, its shutdown and its kind. Immutable; build with <see cref="Worker{TMessage}(string, Func{IActor{TMessage}}, RestartType, ChildShutdown?, ActorOptions?)"/>
/// or <see cref="Supervisor"/>.
/// </summary>
[DebuggerDisplay("{Kind} {Id,nq} ({Restart})")]
public abstract record ChildSpec
{
    private protected ChildSpec(string id, RestartType restart, ChildShutdown shutdown)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (id.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The child id '{id}' must not contain '/': it is the child's actor name.", nameof(id));
        }

        if (!Enum.IsDefined(restart))
        {
            throw new ArgumentOutOfRangeException(nameof(restart), restart, $"Child '{id}': unknown restart type.");
        }

        Id = id;
        Restart = restart;
        Shutdown = shutdown;
    }

    /// <summary>The child's id, unique among its supervisor's children; also its actor name.</summary>
    public string Id { get; }

    /// <summary>When the child is restarted.</summary>
    public RestartType Restart { get; }

    /// <summary>How the child is stopped.</summary>
    public ChildShutdown Shutdown { get; }

    /// <summary>
    /// Whether the child's own exit without a restart can shut its supervisor down (OTP's <c>significant</c>; see
    /// <see cref="SupervisorOptions.AutoShutdown"/>). Only transient and temporary children can be significant.
    /// </summary>
    public bool Significant { get; private init; }

    /// <summary>Worker or supervisor.</summary>
    public abstract ChildKind Kind { get; }

    /// <summary>The type of message the child accepts (an internal control type for supervisors).</summary>
    public abstract Type MessageType { get; }

    /// <summary>A worker whose instances come from <paramref name="factory"/> (called on every start and restart).</summary>
    /// <typeparam name="TMessage">The child's message type.</typeparam>
    /// <param name="id">The child's id and actor name.</param>
    /// <param name="factory">Creates a fresh instance.</param>
    /// <param name="restart">Defaults to <see cref="RestartType.Permanent"/>.</param>
    /// <param name="shutdown">Defaults to <see cref="ChildShutdown.DefaultForWorkers"/> (5 seconds).</param>
    /// <param name="options">The actor's mailbox and parallelism; its drain timeout is replaced by <paramref name="shutdown"/>.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="ArgumentException">The id is empty or contains '/'.</exception>
    public static ChildSpec Worker<TMessage>(string id, Func<IActor<TMessage>> factory, RestartType restart = RestartType.Permanent, ChildShutdown? shutdown = null, ActorOptions? options = null) =>
        new WorkerSpec<TMessage>(id, factory, restart, shutdown ?? ChildShutdown.DefaultForWorkers, options ?? ActorOptions.Default);

    /// <summary>A stateless worker whose behaviour is a handler function.</summary>
    /// <typeparam name="TMessage">The child's message type.</typeparam>
    /// <param name="id">The child's id and actor name.</param>
    /// <param name="handler">Handles each message.</param>
    /// <param name="restart">Defaults to <see cref="RestartType.Permanent"/>.</param>
    /// <param name="shutdown">Defaults to <see cref="ChildShutdown.DefaultForWorkers"/> (5 seconds).</param>
    /// <param name="options">The actor's mailbox and parallelism; its drain timeout is replaced by <paramref name="shutdown"/>.</param>
    /// <returns>The spec.</returns>
    public static ChildSpec Worker<TMessage>(string id, Func<TMessage, ActorContext, ValueTask> handler, RestartType restart = RestartType.Permanent, ChildShutdown? shutdown = null, ActorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Worker(id, () => new DelegateActor<TMessage>(handler), restart, shutdown, options);
    }

    /// <summary>
    /// A worker whose start is asynchronous and may decide not to run it (OTP's start function returning
    /// <c>{ok, Pid}</c> or <c>ignore</c>). <paramref name="start"/> runs on every start of the child: the first, a
    /// <see cref="Supervisor.RestartChildOrNullAsync"/>, a respawn after an exit and a group restart of a member that
    /// is not running; an in-place restart of a running actor reuses the factory its start returned. A start that
    /// throws is a start failure, as a throwing factory of <see cref="Worker{TMessage}(string, Func{IActor{TMessage}}, RestartType, ChildShutdown?, ActorOptions?)"/>.
    /// </summary>
    /// <typeparam name="TMessage">The child's message type.</typeparam>
    /// <param name="id">The child's id and actor name.</param>
    /// <param name="start">Decides, asynchronously, to run the child (<see cref="ChildStart.Run{TMessage}(Func{IActor{TMessage}})"/>) or not (<see cref="ChildStart.Ignore{TMessage}"/>); its token is cancelled when the supervisor stops.</param>
    /// <param name="restart">Defaults to <see cref="RestartType.Permanent"/>.</param>
    /// <param name="shutdown">Defaults to <see cref="ChildShutdown.DefaultForWorkers"/> (5 seconds).</param>
    /// <param name="options">The actor's mailbox and parallelism; its drain timeout is replaced by <paramref name="shutdown"/>.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="ArgumentException">The id is empty or contains '/'.</exception>
    public static ChildSpec WorkerAsync<TMessage>(string id, Func<CancellationToken, Task<ChildStart<TMessage>>> start, RestartType restart = RestartType.Permanent, ChildShutdown? shutdown = null, ActorOptions? options = null) =>
        new AsyncWorkerSpec<TMessage>(id, start, restart, shutdown ?? ChildShutdown.DefaultForWorkers, options ?? ActorOptions.Default);

    /// <summary>A child supervisor with its own options and children.</summary>
    /// <param name="id">The child's id and actor name.</param>
    /// <param name="options">The child supervisor's options.</param>
    /// <param name="children">Its children, in start order.</param>
    /// <param name="restart">Defaults to <see cref="RestartType.Permanent"/>.</param>
    /// <param name="shutdown">Defaults to <see cref="ChildShutdown.Infinity"/>, as OTP.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="ArgumentException">The id is empty or contains '/', or two children share an id.</exception>
    public static ChildSpec Supervisor(string id, SupervisorOptions options, IEnumerable<ChildSpec> children, RestartType restart = RestartType.Permanent, ChildShutdown? shutdown = null) =>
        new SupervisorSpec(id, options, children, restart, shutdown ?? ChildShutdown.Infinity);

    /// <summary>This spec marked significant (OTP's <c>significant => true</c>).</summary>
    /// <returns>The significant spec.</returns>
    /// <exception cref="ArgumentException">The child is permanent: its exits are always restarted.</exception>
    public ChildSpec AsSignificant() => Restart == RestartType.Permanent
        ? throw new ArgumentException($"Child '{Id}': a permanent child cannot be significant (it is always restarted).")
        : this with { Significant = true };

    /// <summary>Spawns the child under <paramref name="parent"/>, reporting to <paramref name="handler"/>.</summary>
    /// <returns>The started child, or <see langword="default"/> (no actor) when its start returned <see cref="ChildStart.Ignore{TMessage}"/>.</returns>
    internal abstract Task<StartedChild> StartAsync(ActorRef parent, IChildParent handler, CancellationToken cancellationToken);

    /// <summary>Rejects significant children under a supervisor that never shuts down automatically, as OTP does.</summary>
    internal static void CheckSignificant(IEnumerable<ChildSpec> children, AutoShutdown autoShutdown, string owner)
    {
        if (autoShutdown == AutoShutdown.Never && children.FirstOrDefault(c => c.Significant) is { } significant)
        {
            throw new ArgumentException($"Supervisor '{owner}': child '{significant.Id}' is significant, but AutoShutdown is Never.", nameof(children));
        }
    }

    internal static IReadOnlyList<ChildSpec> CheckUnique(IEnumerable<ChildSpec> children, string owner)
    {
        ArgumentNullException.ThrowIfNull(children);
        var list = children.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var child in list)
        {
            ArgumentNullException.ThrowIfNull(child, nameof(children));
            if (!seen.Add(child.Id))
            {
                throw new ArgumentException($"Supervisor '{owner}': two children have the id '{child.Id}'.", nameof(children));
            }
        }

        return list;
    }
}

/// <summary>A started child: its actor (null when its start was ignored), and its supervisor handle when it is a supervisor.</summary>
internal readonly record struct StartedChild(ActorRef? Ref, Supervisor? Supervisor);

internal sealed record WorkerSpec<TMessage> : ChildSpec
{
    public WorkerSpec(string id, Func<IActor<TMessage>> factory, RestartType restart, ChildShutdown shutdown, ActorOptions options)
        : base(id, restart, shutdown)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(options);
        Factory = factory;
        Options = options with { DrainTimeout = shutdown.Timeout };
    }

    public Func<IActor<TMessage>> Factory { get; }

    public ActorOptions Options { get; }

    public override ChildKind Kind => ChildKind.Worker;

    public override Type MessageType => typeof(TMessage);

    internal override Task<StartedChild> StartAsync(ActorRef parent, IChildParent handler, CancellationToken cancellationToken) =>
        Task.FromResult(new StartedChild(parent.System.SpawnCore(Id, Factory, Options, parent, handler), null));
}

internal sealed record SupervisorSpec : ChildSpec
{
    public SupervisorSpec(string id, SupervisorOptions options, IEnumerable<ChildSpec> children, RestartType restart, ChildShutdown shutdown)
        : base(id, restart, shutdown)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(id);
        Options = options;
        Children = CheckUnique(children, id);
        CheckSignificant(Children, options.AutoShutdown, id);
    }

    public SupervisorOptions Options { get; }

    public IReadOnlyList<ChildSpec> Children { get; }

    public override ChildKind Kind => ChildKind.Supervisor;

    public override Type MessageType => typeof(SupervisorCommand);

    internal override async Task<StartedChild> StartAsync(ActorRef parent, IChildParent handler, CancellationToken cancellationToken)
    {
        var supervisor = await Graph.Engine.Supervision.Supervisor.StartCoreAsync(parent.System, Id, Options, Children, parent, handler, Shutdown).ConfigureAwait(false);
        return new StartedChild(supervisor.Ref, supervisor);
    }
}
