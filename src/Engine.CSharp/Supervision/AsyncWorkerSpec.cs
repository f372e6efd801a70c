using Graph.Engine.Actors;

namespace Graph.Engine.Supervision;

/// <summary>A worker whose start is asynchronous and may be ignored (see <see cref="ChildSpec.WorkerAsync{TMessage}"/>).</summary>
internal sealed record AsyncWorkerSpec<TMessage> : ChildSpec
{
    public AsyncWorkerSpec(string id, Func<CancellationToken, Task<ChildStart<TMessage>>> start, RestartType restart, ChildShutdown shutdown, ActorOptions options)
        : base(id, restart, shutdown)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(options);
        Start = start;
        Options = options with { DrainTimeout = shutdown.Timeout };
    }

    public Func<CancellationToken, Task<ChildStart<TMessage>>> Start { get; }

    public ActorOptions Options { get; }

    public override ChildKind Kind => ChildKind.Worker;

    public override Type MessageType => typeof(TMessage);

    internal override async Task<StartedChild> StartAsync(ActorRef parent, IChildParent handler, CancellationToken cancellationToken)
    {
        var pending = Start(cancellationToken) ?? throw new InvalidOperationException($"Child '{Id}': its start returned a null task.");
        var result = await pending.ConfigureAwait(false) ?? throw new InvalidOperationException($"Child '{Id}': its start returned null; return ChildStart.Ignore to ignore it.");
        if (result.Factory is not { } factory)
        {
            return default;
        }

        // A start that ends after the supervisor began stopping spawns nothing.
        cancellationToken.ThrowIfCancellationRequested();
        return new StartedChild(parent.System.SpawnCore(Id, factory, Options, parent, handler), null);
    }
}
