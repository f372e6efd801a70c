namespace Graph.Engine.Actors;

// Spawning: validating the name and options, registering the cell under its parent, and undoing a spawn that fails part-way.
public sealed partial class ActorSystem
{
    /// <summary>Spawns an actor.</summary>
    /// <typeparam name="TMessage">The message type.</typeparam>
    /// <param name="name">The actor's name, unique among its siblings; no '/'.</param>
    /// <param name="factory">Creates the instance; called again on every restart.</param>
    /// <param name="options">The actor's options; defaults to <see cref="ActorOptions.Default"/>.</param>
    /// <param name="parent">The parent; defaults to <see cref="Root"/> (a top-level actor).</param>
    /// <returns>The actor's reference, already running.</returns>
    /// <exception cref="ArgumentException">The name is empty, contains '/', or is taken by a sibling.</exception>
    /// <exception cref="InvalidOperationException">The parent is stopping or stopped.</exception>
    /// <remarks>A spawn that fails part-way (factory throws, duplicate name, parent stopping) leaves nothing registered or running.</remarks>
    public ActorRef<TMessage> Spawn<TMessage>(string name, Func<IActor<TMessage>> factory, ActorOptions? options = null, ActorRef? parent = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return SpawnCore(name, factory, options, parent, null);
    }

    /// <summary>Spawns an actor whose behaviour is a handler function.</summary>
    /// <typeparam name="TMessage">The message type.</typeparam>
    /// <param name="name">The actor's name, unique among its siblings; no '/'.</param>
    /// <param name="handler">Handles each message.</param>
    /// <param name="options">The actor's options; defaults to <see cref="ActorOptions.Default"/>.</param>
    /// <param name="parent">The parent; defaults to <see cref="Root"/>.</param>
    /// <returns>The actor's reference, already running.</returns>
    public ActorRef<TMessage> Spawn<TMessage>(string name, Func<TMessage, ActorContext, ValueTask> handler, ActorOptions? options = null, ActorRef? parent = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var actor = new DelegateActor<TMessage>(handler);
        return SpawnCore(name, () => actor, options, parent, null);
    }

    internal ActorRef<TMessage> SpawnCore<TMessage>(string name, Func<IActor<TMessage>> factory, ActorOptions? options, ActorRef? parent, IChildParent? failureHandler)
    {
        ValidateName(name, "actor");
        parent ??= _root;
        if (!ReferenceEquals(parent.System, this))
        {
            throw new ArgumentException($"The parent '{parent.Path}' belongs to another actor system.", nameof(parent));
        }

        options ??= ActorOptions.Default;
        var path = parent.Path + "/" + name;
        options.Validate(path);
        var cell = new ActorCell<TMessage>(this, parent, name, path, options, factory) { FailureHandler = failureHandler };
        if (!_actors.TryAdd(path, cell))
        {
            throw new ArgumentException($"An actor named '{name}' already exists under '{parent.Path}'.", nameof(name));
        }

        var addedToParent = false;
        try
        {
            parent.AddChild(cell);
            addedToParent = true;
            cell.CreateFirstInstance();
        }
        catch (Exception exception)
        {
            if (addedToParent)
            {
                parent.RemoveChild(cell);
            }

            _actors.TryRemove(new KeyValuePair<string, ActorRef>(path, cell));
            cell.AbortSpawn(exception);
            throw;
        }

        if (!cell.MarkRunning())
        {
            // Its parent stopped it while the factory ran: it has stopped (or is stopping) and never started.
            _ = cell.DisposeLateInstanceAsync();
            throw new InvalidOperationException($"Cannot spawn '{name}': its parent '{parent.Path}' stopped it while its factory ran.");
        }

        ActorLog.Started(Logger, path);
        if (_events.HasObservers)
        {
            _events.Publish(new ActorStarted(path, TimeProvider.GetUtcNow()));
        }

        return cell;
    }

    internal EnvelopePool<TMessage> GetEnvelopePool<TMessage>() =>
        (EnvelopePool<TMessage>)_pools.GetOrAdd(typeof(TMessage), static (_, size) => new EnvelopePool<TMessage>(size), Options.EnvelopePoolSize);
}
