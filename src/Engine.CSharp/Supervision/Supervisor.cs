using System.Diagnostics;
using Graph.Engine.Actors;

namespace Graph.Engine.Supervision;

/// <summary>
/// A supervisor: an actor that starts children from <see cref="ChildSpec"/>s in order, restarts them per its
/// <see cref="SupervisorOptions"/> (OTP semantics: strategies, restart types, restart intensity), and stops
/// them in reverse order. This handle stays valid across the supervisor's own in-place restarts.
/// </summary>
/// <example>
/// <code>
/// await using var system = new ActorSystem("app");
/// var supervisor = await Supervisor.StartAsync(system, "workers",
/// [
///     ChildSpec.Worker&lt;string&gt;("parser", () => new Parser()),
///     ChildSpec.Worker&lt;string&gt;("writer", () => new Writer(), RestartType.Transient),
/// ], new SupervisorOptions { Strategy = SupervisionStrategy.RestForOne, MaxRestarts = 3 });
/// supervisor.GetChild&lt;string&gt;("parser").Tell("hello");
/// </code>
/// </example>
[DebuggerDisplay("Supervisor {Path,nq} ({State})")]
public sealed partial class Supervisor
{
    private ActorCell<SupervisorCommand>? _cell;
    private SupervisorActor? _current;
    private int _incarnations;

    private Supervisor(ActorSystem system, SupervisorOptions options, IReadOnlyList<ChildSpec> children, bool isRoot)
    {
        System = system;
        Options = options;
        Children = children;
        IsRoot = isRoot;
    }

    /// <summary>The supervisor's actor.</summary>
    public ActorRef Ref => Cell;

    /// <summary>The supervisor's path.</summary>
    public string Path => Cell.Path;

    /// <summary>The supervisor's options.</summary>
    public SupervisorOptions Options { get; }

    /// <summary>The children it starts (and restarts after its own restart), in start order; dynamic children come on top.</summary>
    public IReadOnlyList<ChildSpec> Children { get; }

    /// <summary>The supervisor actor's lifecycle state.</summary>
    public ActorState State => Cell.State;

    /// <summary>
    /// Completes when the supervisor has stopped; faults with a <see cref="RestartIntensityExceededException"/> or
    /// <see cref="ChildEscalatedException"/> when a top-level supervisor gave up (the system's completion faults too).
    /// </summary>
    public Task Completion => Cell.Completion;

    internal ActorSystem System { get; }

    internal bool IsRoot { get; }

    internal ActorRef<SupervisorCommand> Cell => _cell ?? throw new InvalidOperationException("The supervisor has not been spawned yet.");

    internal SupervisorActor? Current => Volatile.Read(ref _current);

    /// <summary>
    /// Spawns a top-level supervisor (or one under any actor) and starts its children in order. Completes when all
    /// have started. If a child fails to start, those already started are stopped in reverse order, the supervisor
    /// stops, and the task fails with a <see cref="ChildStartException"/> naming the child.
    /// </summary>
    /// <param name="system">The actor system.</param>
    /// <param name="name">The supervisor's actor name.</param>
    /// <param name="children">The child specs, in start order; ids must be unique.</param>
    /// <param name="options">Defaults to <see cref="SupervisorOptions.Default"/>.</param>
    /// <param name="parent">The parent actor; defaults to the system's root. To supervise a supervisor, use <see cref="ChildSpec.Supervisor"/> instead.</param>
    /// <param name="cancellationToken">
    /// Abandons the start: the task is cancelled at once, and the supervisor stops in the background as after a
    /// failed start (the children already started are stopped in reverse order). Already cancelled on entry, nothing
    /// is spawned.
    /// </param>
    /// <returns>The running supervisor.</returns>
    /// <exception cref="ChildStartException">A child failed to start.</exception>
    /// <exception cref="ArgumentException">A bad name, duplicate child ids, or an invalid option (the message names it).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before every child started.</exception>
    public static Task<Supervisor> StartAsync(ActorSystem system, string name, IEnumerable<ChildSpec> children, SupervisorOptions? options = null, ActorRef? parent = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        return cancellationToken.IsCancellationRequested
            ? Task.FromCanceled<Supervisor>(cancellationToken)
            : StartCoreAsync(system, name, options ?? SupervisorOptions.Default, children, parent, null, ChildShutdown.Infinity, cancellationToken);
    }

    /// <summary>The current actor of a running worker child. Valid across in-place restarts; after a re-spawn, call again.</summary>
    /// <typeparam name="TMessage">The child's message type.</typeparam>
    /// <param name="id">The child's id.</param>
    /// <returns>The child.</returns>
    /// <exception cref="KeyNotFoundException">No running child has that id.</exception>
    /// <exception cref="InvalidCastException">The child does not accept <typeparamref name="TMessage"/>.</exception>
    public ActorRef<TMessage> GetChild<TMessage>(string id)
    {
        if (FindRunning(id) is not { } child)
        {
            throw new KeyNotFoundException($"Supervisor '{Path}' has no running child '{id}'.");
        }

        return child as ActorRef<TMessage>
            ?? throw new InvalidCastException($"Child '{id}' of supervisor '{Path}' accepts {child.MessageType.Name}, not {typeof(TMessage).Name}.");
    }

    /// <summary>Like <see cref="GetChild{TMessage}"/>, without throwing.</summary>
    /// <typeparam name="TMessage">The child's message type.</typeparam>
    /// <param name="id">The child's id.</param>
    /// <param name="child">The child, when running and of that type.</param>
    /// <returns>Whether it was found.</returns>
    public bool TryGetChild<TMessage>(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ActorRef<TMessage>? child)
    {
        child = FindRunning(id) as ActorRef<TMessage>;
        return child is not null;
    }

    /// <summary>The handle of a running child supervisor.</summary>
    /// <param name="id">The child's id.</param>
    /// <returns>The child supervisor.</returns>
    /// <exception cref="KeyNotFoundException">No running child supervisor has that id.</exception>
    public Supervisor GetSupervisor(string id) =>
        FindEntry(id) is { Ref: not null, Supervisor: { } supervisor }
            ? supervisor
            : throw new KeyNotFoundException($"Supervisor '{Path}' has no running child supervisor '{id}'.");

    /// <summary>Starts a child at run time, after the others (OTP's <c>start_child</c>).</summary>
    /// <param name="spec">Its spec; the id must be new.</param>
    /// <param name="cancellationToken">Cancels the wait (not the start).</param>
    /// <returns>The child's actor.</returns>
    /// <exception cref="ArgumentException">The id is taken, or the child is significant and <see cref="SupervisorOptions.AutoShutdown"/> is never.</exception>
    /// <exception cref="ChildStartException">The child failed to start.</exception>
    /// <exception cref="InvalidOperationException">Its start returned <see cref="ChildStart.Ignore{TMessage}"/> (the spec is kept, unless temporary); <see cref="StartChildOrNullAsync"/> answers null instead.</exception>
    public async Task<ActorRef> StartChildAsync(ChildSpec spec, CancellationToken cancellationToken = default) =>
        await StartChildOrNullAsync(spec, cancellationToken).ConfigureAwait(false) ?? throw Ignored(spec.Id);

    /// <summary>Stops a child per its shutdown; its spec is kept (deleted when temporary). Not a restart (OTP's <c>terminate_child</c>).</summary>
    /// <param name="id">The child's id.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when it has stopped.</returns>
    /// <exception cref="KeyNotFoundException">Unknown id.</exception>
    public Task TerminateChildAsync(string id, CancellationToken cancellationToken = default) =>
        AskAsync<bool>(r => new TerminateChildCommand(id, r), cancellationToken);

    /// <summary>Starts a terminated child again from its spec (OTP's <c>restart_child</c>).</summary>
    /// <param name="id">The child's id.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The child's new actor.</returns>
    /// <exception cref="KeyNotFoundException">Unknown id.</exception>
    /// <exception cref="InvalidOperationException">The child is running or restarting, or its start returned <see cref="ChildStart.Ignore{TMessage}"/> (<see cref="RestartChildOrNullAsync"/> answers null instead).</exception>
    /// <exception cref="ChildStartException">The child failed to start.</exception>
    public async Task<ActorRef> RestartChildAsync(string id, CancellationToken cancellationToken = default) =>
        await RestartChildOrNullAsync(id, cancellationToken).ConfigureAwait(false) ?? throw Ignored(id);

    /// <summary>The spec of a child (OTP's <c>get_childspec</c>).</summary>
    /// <param name="id">The child's id.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>Its spec.</returns>
    /// <exception cref="KeyNotFoundException">Unknown id.</exception>
    public Task<ChildSpec> GetChildSpecAsync(string id, CancellationToken cancellationToken = default) =>
        AskAsync<ChildSpec>(r => new GetChildSpecCommand(id, r), cancellationToken);

    /// <summary>Deletes the spec of a terminated child (OTP's <c>delete_child</c>).</summary>
    /// <param name="id">The child's id.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when deleted.</returns>
    /// <exception cref="KeyNotFoundException">Unknown id.</exception>
    /// <exception cref="InvalidOperationException">The child is running or restarting.</exception>
    public Task DeleteChildAsync(string id, CancellationToken cancellationToken = default) =>
        AskAsync<bool>(r => new DeleteChildCommand(id, r), cancellationToken);

    /// <summary>Every child spec with its actor, in start order (OTP's <c>which_children</c>).</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The children.</returns>
    public Task<IReadOnlyList<ChildInfo>> WhichChildrenAsync(CancellationToken cancellationToken = default) =>
        AskAsync<IReadOnlyList<ChildInfo>>(r => new WhichChildrenCommand(r), cancellationToken);

    /// <summary>Counts of specs, running children, supervisors and workers (OTP's <c>count_children</c>).</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The counts.</returns>
    public Task<ChildCounts> CountChildrenAsync(CancellationToken cancellationToken = default) =>
        AskAsync<ChildCounts>(r => new CountChildrenCommand(r), cancellationToken);

    /// <summary>Stops the supervisor: its children first, in reverse start order, each per its shutdown.</summary>
    /// <param name="cancellationToken">
    /// Ends the caller's wait, not the stop: once requested, the stop always runs to the end; <see cref="Completion"/>
    /// reports it.
    /// </param>
    /// <returns>A task that completes when everything stopped, or is cancelled when the token is cancelled before that.</returns>
    public Task StopAsync(CancellationToken cancellationToken = default) => Cell.StopAsync(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <inheritdoc />
    public override string ToString() => Path;

    internal static async Task<Supervisor> StartCoreAsync(ActorSystem system, string name, SupervisorOptions options, IEnumerable<ChildSpec> children, ActorRef? parent, IChildParent? handler, ChildShutdown shutdown, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(name);
        var specs = ChildSpec.CheckUnique(children, name);
        ChildSpec.CheckSignificant(specs, options.AutoShutdown, name);
        var supervisor = new Supervisor(system, options, specs, handler is null);
        var actorOptions = options.ActorOptions with { Mailbox = MailboxOptions.Unbounded, MaxDegreeOfParallelism = 1, DrainTimeout = shutdown.IsBrutal ? options.ActorOptions.DrainTimeout : shutdown.Timeout };
        var cell = (ActorCell<SupervisorCommand>)system.SpawnCore(name, supervisor.CreateInstance, actorOptions, parent, handler ?? new RootSupervisorHandler(supervisor));
        cell.StopHook = supervisor.OnStoppingAsync;
        supervisor._cell = cell;
        try
        {
            await cell.AskAsync<bool>(r => new InitCommand(r), Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller stops waiting; the stop runs on (it never faults) and undoes the start as a failure would.
            _ = cell.StopCoreAsync(StopCause.Shutdown, null, TimeSpan.Zero);
            throw;
        }
        catch (Exception)
        {
            await cell.StopCoreAsync(StopCause.Shutdown, null, TimeSpan.Zero).ConfigureAwait(false);
            throw;
        }

        return supervisor;
    }

    /// <summary>The current incarnation's entry for a child, read from the table its loop publishes.</summary>
    private ChildEntry? FindEntry(string id)
    {
        if (Current is not { } current)
        {
            return null;
        }

        foreach (var entry in current.View)
        {
            if (entry.Id == id)
            {
                return entry;
            }
        }

        return null;
    }

    private ActorRef? FindRunning(string id) => FindEntry(id)?.Ref;

    private SupervisorActor CreateInstance()
    {
        var actor = new SupervisorActor(this);
        Volatile.Write(ref _current, actor);
        if (Interlocked.Increment(ref _incarnations) > 1)
        {
            // A restart in place: the new incarnation starts the children before anything else it handles.
            Cell.TryPost(new InitCommand(null));
        }

        return actor;
    }

    private Task OnStoppingAsync() => Current?.CloseAsync() ?? Task.CompletedTask;

    private async Task<TReply> AskAsync<TReply>(Func<ReplyChannel<TReply>, SupervisorCommand> create, CancellationToken cancellationToken) =>
        await Cell.AskAsync(create, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
}
