using System.Collections.Concurrent;
using System.Diagnostics;
using Graph.Engine.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Graph.Engine.Actors;

/// <summary>
/// A tree of actors under one root: spawning, lookup by path, dead letters, lifecycle events and health.
/// Disposing it stops every actor (children before parents, in reverse start order) and completes when all have stopped.
/// </summary>
/// <example>
/// <code>
/// await using var system = new ActorSystem("demo");
/// var counter = system.Spawn&lt;int&gt;("counter", (n, ctx) => { total += n; return ValueTask.CompletedTask; });
/// await counter.SendAsync(1);
/// </code>
/// </example>
[DebuggerDisplay("ActorSystem {Name,nq}")]
public sealed partial class ActorSystem : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<ActorSystem, byte> LiveSystems = new();

    private readonly ConcurrentDictionary<string, ActorRef> _actors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, object> _pools = new();
    private readonly ObservableStream<DeadLetter> _deadLetters = new();
    private readonly ObservableStream<ActorEvent> _events = new();
    private readonly ConcurrentQueue<ActorFailureRecord> _recentFailures = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ActorCell<object> _root;
    private readonly ITimer? _watchdog;
    private long _deadLetterCount;

    /// <summary>Creates an actor system.</summary>
    /// <param name="name">The system's name: the first segment of every path.</param>
    /// <param name="options">The system's options; defaults to <see cref="ActorSystemOptions.Default"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or contains '/'.</exception>
    public ActorSystem(string name = "system", ActorSystemOptions? options = null)
    {
        ValidateName(name, "actor system");
        Options = options ?? ActorSystemOptions.Default;
        Options.Validate();
        Name = name;
        Logger = Options.LoggerFactory.CreateLogger(ActorLog.Category);
        ActorMetrics.EnsureCreated();
        _root = new ActorCell<object>(this, null, name, "/" + name, ActorOptions.Default, static () => new DelegateActor<object>(static (_, _) => ValueTask.CompletedTask));
        _root.CreateFirstInstance();
        _ = _root.MarkRunning();
        if (Options.SlowHandlerThreshold is { } threshold)
        {
            var period = threshold / 2;
            _watchdog = TimeProvider.CreateTimer(static s => ((ActorSystem)s!).ScanForSlowHandlers(), this, period, period);
        }

        LiveSystems.TryAdd(this, 0);
    }

    /// <summary>The system's name.</summary>
    public string Name { get; }

    /// <summary>The system's options.</summary>
    public ActorSystemOptions Options { get; }

    /// <summary>The system's clock.</summary>
    public TimeProvider TimeProvider => Options.TimeProvider;

    /// <summary>The root guardian: the parent of every top-level actor (path <c>/name</c>).</summary>
    public ActorRef Root => _root;

    /// <summary>Every message that was not processed, with its reason. Hot: subscribe before sending.</summary>
    public IObservable<DeadLetter> DeadLetters => _deadLetters;

    /// <summary>Lifecycle and failure events of every actor. Hot: subscribe before spawning.</summary>
    public IObservable<ActorEvent> Events => _events;

    /// <summary>How many messages have been dead-lettered so far.</summary>
    public long DeadLetterCount => Interlocked.Read(ref _deadLetterCount);

    /// <summary>
    /// Completes when the system has been disposed. Faults when a top-level supervisor fails (its restart
    /// intensity was exceeded at the root): the failure surfaces here, never as a silent loop.
    /// </summary>
    public Task Completion => _completion.Task;

    /// <summary>The actor layer's logger (category <see cref="ActorLog.Category"/>).</summary>
    internal ILogger Logger { get; }

    internal static IEnumerable<ActorSystem> Live => LiveSystems.Keys;

    internal IEnumerable<ActorRef> Cells => _actors.Values;

    /// <summary>Finds a live actor by path.</summary>
    /// <param name="path">The actor's path, such as <c>/system/parent/child</c>.</param>
    /// <returns>The actor, or <see langword="null"/>.</returns>
    public ActorRef? Find(string path) => _actors.TryGetValue(path, out var actor) ? actor : null;

    /// <summary>
    /// Sends to an address. When no live actor accepting <typeparamref name="TMessage"/> lives there, the
    /// message is dead-lettered as <see cref="DeadLetterReason.Undeliverable"/>.
    /// </summary>
    /// <typeparam name="TMessage">The message type.</typeparam>
    /// <param name="path">The address.</param>
    /// <param name="message">The message.</param>
    /// <returns>What happened to the message.</returns>
    public PostResult TryPost<TMessage>(string path, TMessage message)
    {
        if (Find(path) is ActorRef<TMessage> actor)
        {
            return actor.TryPost(message);
        }

        PublishDeadLetter(path, message, DeadLetterReason.Undeliverable, null, null);
        return PostResult.ActorStopped;
    }

    /// <summary>A snapshot for health checks: every actor's state and mailbox, and the recent failures.</summary>
    /// <returns>The snapshot.</returns>
    public ActorSystemHealth GetHealth()
    {
        var actors = _actors.Values
            .Select(a => new ActorHealth(a.Path, a.State, a.QueueLength, a.Options.Mailbox.Capacity))
            .OrderBy(a => a.Path, StringComparer.Ordinal)
            .ToList();
        return new ActorSystemHealth(actors, _recentFailures.Reverse().ToList());
    }

    /// <summary>Stops every actor (children first, reverse start order) and completes when all have stopped.</summary>
    /// <returns>A task that completes when everything stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_watchdog is not null)
        {
            await _watchdog.DisposeAsync().ConfigureAwait(false);
        }

        await _root.StopCoreAsync(StopCause.Shutdown, null, null).ConfigureAwait(false);
        LiveSystems.TryRemove(this, out _);
        _completion.TrySetResult();
        _deadLetters.Complete();
        _events.Complete();
    }

    internal void Unregister(ActorRef actor) => _actors.TryRemove(new KeyValuePair<string, ActorRef>(actor.Path, actor));

    internal static void ValidateName(string name, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The {what} name '{name}' must not contain '/'.", nameof(name));
        }
    }
}
