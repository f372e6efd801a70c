using Graph.Engine.Actors;

namespace Graph.Engine.Supervision;

/// <summary>
/// One child spec for many dynamic children, each started with its own argument (OTP's <c>simple_one_for_one</c>):
/// <c>supervisor.StartChildAsync(template.With(arg))</c>. Each child gets the id <c>{prefix}-{n}</c> and is restarted
/// with the argument it was started with.
/// </summary>
/// <typeparam name="TArg">The argument a child is started with.</typeparam>
public sealed class ChildTemplate<TArg>
{
    private readonly Func<string, TArg, ChildSpec> _create;
    private long _next;

    private ChildTemplate(string prefix, Func<string, TArg, ChildSpec> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        if (prefix.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The child id prefix '{prefix}' must not contain '/': it begins the children's actor names.", nameof(prefix));
        }

        Prefix = prefix;
        _create = create;
    }

    /// <summary>The prefix of the children's ids.</summary>
    public string Prefix { get; }

    /// <summary>A template of workers whose instances come from <paramref name="factory"/> applied to each child's argument.</summary>
    /// <typeparam name="TMessage">The children's message type.</typeparam>
    /// <param name="prefix">The prefix of the children's ids (and actor names).</param>
    /// <param name="factory">Creates a fresh instance for an argument (on every start and restart).</param>
    /// <param name="restart">Defaults to <see cref="RestartType.Permanent"/>.</param>
    /// <param name="shutdown">Defaults to <see cref="ChildShutdown.DefaultForWorkers"/> (5 seconds).</param>
    /// <param name="options">The actors' mailbox and parallelism.</param>
    /// <returns>The template.</returns>
    /// <exception cref="ArgumentException">The prefix is empty or contains '/'.</exception>
    public static ChildTemplate<TArg> Worker<TMessage>(string prefix, Func<TArg, IActor<TMessage>> factory, RestartType restart = RestartType.Permanent, ChildShutdown? shutdown = null, ActorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new ChildTemplate<TArg>(prefix, (id, arg) => ChildSpec.Worker(id, () => factory(arg), restart, shutdown, options));
    }

    /// <summary>The spec of the next child, started with <paramref name="arg"/> and a fresh id.</summary>
    /// <param name="arg">The child's argument.</param>
    /// <returns>Its spec, for <see cref="Supervisor.StartChildAsync"/>.</returns>
    public ChildSpec With(TArg arg) => _create($"{Prefix}-{Interlocked.Increment(ref _next)}", arg);
}
