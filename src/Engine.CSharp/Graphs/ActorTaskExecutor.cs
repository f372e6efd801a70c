using Graph.Engine.Actors;

namespace Graph.Engine.Graphs;

/// <summary>
/// The default executor: one long-lived actor per node, shared by every run of the compiled graph. A node's
/// bounded mailbox (<see cref="NodeOptions.MailboxCapacity"/>) gives back-pressure across runs, its degree of
/// parallelism is <see cref="NodeOptions.MaxParallelism"/>, and a factory node's instance lives with its actor.
/// The actors live under <c>/system/graph-N/</c> in <see cref="GraphCompileOptions.ActorSystem"/>, or in a
/// private system owned by the compiled graph.
/// </summary>
internal sealed class ActorTaskExecutor<TState, TUpdate> : ITaskExecutor<TState, TUpdate>, IObserver<DeadLetter>
{
    private static int graphCount;

    private readonly GraphModel<TState, TUpdate> model;
    private readonly ActorSystem system;
    private readonly bool ownsSystem;
    private readonly ActorRef graphActor;
    private readonly ActorRef<NodeTask<TState, TUpdate>>[] nodes;
    private readonly IDisposable deadLetters;
    private int disposed;

    public ActorTaskExecutor(GraphModel<TState, TUpdate> model, GraphCompileOptions options)
    {
        this.model = model;
        ownsSystem = options.ActorSystem is null;
        system = options.ActorSystem ?? new ActorSystem("graph", new ActorSystemOptions { TimeProvider = options.TimeProvider });
        graphActor = system.Spawn<object>($"graph-{Interlocked.Increment(ref graphCount)}", static (_, _) => ValueTask.CompletedTask);
        deadLetters = system.DeadLetters.Subscribe(this);
        nodes = new ActorRef<NodeTask<TState, TUpdate>>[model.Nodes.Length];
        foreach (var node in model.Nodes)
        {
            var actorOptions = new ActorOptions
            {
                Mailbox = MailboxOptions.Bounded(node.Options.MailboxCapacity),
                MaxDegreeOfParallelism = node.Options.MaxParallelism == NodeOptions.Unbounded ? ActorOptions.UnboundedParallelism : node.Options.MaxParallelism,
            };
            nodes[node.Index] = system.SpawnCore(Uri.EscapeDataString(node.Name), () => new NodeActor<TState, TUpdate>(node), actorOptions, graphActor, NodeRestarter.Instance);
        }
    }

    /// <summary>The parent of the node actors (for diagnostics and tests).</summary>
    public ActorRef GraphActor => graphActor;

    public void Dispatch(GraphRun<TState, TUpdate> run, in PlannedTask<TState, TUpdate> task)
    {
        var pending = nodes[task.Node.Index].SendAsync(new NodeTask<TState, TUpdate>(run, task), run.CancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            _ = ObserveAsync(pending, run, task.Index);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        // Queued tasks drain (within the actors' drain timeout); anything left is dead-lettered and reported to its run.
        await graphActor.StopAsync().ConfigureAwait(false);
        deadLetters.Dispose();
        if (ownsSystem)
        {
            await system.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A task whose message was dead-lettered (actor stopped) never ran: tell its run.</summary>
    public void OnNext(DeadLetter value)
    {
        if (value.Message is NodeTask<TState, TUpdate> message
            && value.Reason != DeadLetterReason.HandlerFaulted
            && ReferenceEquals(message.Run.Model, model))
        {
            var task = message.Task;
            message.Run.OnTaskCompleted(
                task.Index,
                default,
                new InvalidOperationException($"Node '{task.Node.Name}' could not run its task of step {task.Step}: the node actor '{value.Recipient}' dead-lettered it ({value.Reason})."));
        }
    }

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }

    private static async Task ObserveAsync(ValueTask pending, GraphRun<TState, TUpdate> run, int taskIndex)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Reported to the run as the task's failure (cancellation included).
        catch (Exception exception)
#pragma warning restore CA1031
        {
            run.OnTaskCompleted(taskIndex, default, exception);
        }
    }
}
