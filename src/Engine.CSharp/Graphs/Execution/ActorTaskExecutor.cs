using Graph.Engine.Actors;
using Graph.Engine.Diagnostics;
using Graph.Engine.Supervision;
using Microsoft.Extensions.Logging;

namespace Graph.Engine.Graphs;

/// <summary>
/// The default executor: one long-lived actor per node, shared by every run of the compiled graph. A node's
/// bounded mailbox (<see cref="NodeOptions.MailboxCapacity"/>) gives back-pressure across runs, its degree of
/// parallelism is <see cref="NodeOptions.MaxParallelism"/>, and a factory node's instances live with its actor.
/// The actors are the children of a <see cref="Supervisor"/> <c>graph-N</c> (policy
/// <see cref="GraphCompileOptions.NodeSupervision"/>) in <see cref="GraphCompileOptions.ActorSystem"/>, or in a
/// private system owned by the compiled graph.
/// </summary>
internal sealed class ActorTaskExecutor<TState, TUpdate> : ITaskExecutor<TState, TUpdate>, IObserver<DeadLetter>
{
    private static int graphCount;

    /// <summary>The run whose task's handler runs on this thread and defers that run's dispatches (the trampoline's owner).</summary>
    [ThreadStatic]
    private static GraphRun<TState, TUpdate>? trampolineRun;

    [ThreadStatic]
    private static List<NodeTask<TState, TUpdate>>? deferred;

    private readonly GraphModel<TState, TUpdate> model;
    private readonly ActorSystem system;
    private readonly bool ownsSystem;
    private readonly Supervisor supervisor;
    private readonly ActorRef<NodeTask<TState, TUpdate>>[] nodes;
    private readonly IDisposable deadLetters;

    /// <summary>Per node: how many of its tasks may run inline at once (0: the node is exclusive, see <see cref="TryRunInline"/>).</summary>
    private readonly int[] inlineCaps;

    /// <summary>Per node: its tasks running inline now.</summary>
    private readonly int[] inlineRunning;
    private int disposed;

    public ActorTaskExecutor(GraphModel<TState, TUpdate> model, GraphCompileOptions options)
    {
        this.model = model;
        var logger = options.ResolveLoggerFactory().CreateLogger(GraphLog.Category);
        ownsSystem = options.ActorSystem is null;
        system = options.ActorSystem ?? new ActorSystem("graph", new ActorSystemOptions { TimeProvider = options.TimeProvider, LoggerFactory = options.ResolveLoggerFactory() });
        nodes = new ActorRef<NodeTask<TState, TUpdate>>[model.Nodes.Length];
        inlineCaps = new int[model.Nodes.Length];
        inlineRunning = new int[model.Nodes.Length];
        var children = new ChildSpec[model.Nodes.Length];
        foreach (var node in model.Nodes)
        {
            inlineCaps[node.Index] = node.Kind == NodeKind.Factory || node.Parallelism == 1 ? 0
                : node.Parallelism == NodeOptions.Unbounded ? int.MaxValue
                : node.Parallelism;
            var actorOptions = new ActorOptions
            {
                Mailbox = MailboxOptions.Bounded(node.Options.MailboxCapacity),
                MaxDegreeOfParallelism = node.Parallelism == NodeOptions.Unbounded ? ActorOptions.UnboundedParallelism : node.Parallelism,
            };
            children[node.Index] = ChildSpec.Worker<NodeTask<TState, TUpdate>>(Uri.EscapeDataString(node.Name), () => new NodeActor<TState, TUpdate>(node, this, logger), options: actorOptions);
        }

        // Worker children start synchronously on the supervisor's loop: this waits for one actor hop, once per compile.
        supervisor = Supervisor.StartAsync(system, $"graph-{Interlocked.Increment(ref graphCount)}", children, options.NodeSupervision).GetAwaiter().GetResult();
        deadLetters = system.DeadLetters.Subscribe(this);
        foreach (var node in model.Nodes)
        {
            nodes[node.Index] = supervisor.GetChild<NodeTask<TState, TUpdate>>(children[node.Index].Id);
        }
    }

    /// <summary>The supervisor of the node actors (for diagnostics and tests).</summary>
    public Supervisor NodeSupervisor => supervisor;

    /// <summary>
    /// A task of the run whose handler is running on this thread (its next step) is deferred to the trampoline (see
    /// <see cref="RunTrampolined"/>); anything else (another run, even of this graph) goes to its node's mailbox, so a
    /// handler that waits for another run cannot starve it.
    /// </summary>
    public void Dispatch(GraphRun<TState, TUpdate> run, in PlannedTask<TState, TUpdate> task)
    {
        var message = new NodeTask<TState, TUpdate>(run, task);
        if (ReferenceEquals(trampolineRun, run))
        {
            deferred!.Add(message);
            return;
        }

        Post(message);
    }

    /// <summary>
    /// Runs a node handler's synchronous part with dispatches deferred, then hands the deferred tasks on: all but
    /// the last go to their mailboxes (so a fan-out stays parallel), the last runs on this thread when its node
    /// actor is idle (so a chain costs no mailbox hop). Inline runs defer their own dispatches to the same loop,
    /// so the stack never grows. Nested calls (an inline run) just run.
    /// </summary>
    internal ValueTask RunTrampolined(GraphRun<TState, TUpdate> run, in PlannedTask<TState, TUpdate> task, NodeInstances<TState, TUpdate>? instances)
    {
        if (trampolineRun is not null)
        {
            return run.RunTaskAsync(task, instances);
        }

        trampolineRun = run;
        var list = deferred ??= [];
        try
        {
            var pending = run.RunTaskAsync(task, instances);
            while (list.Count > 0)
            {
                var count = list.Count;
                for (var i = 0; i < count - 1; i++)
                {
                    Post(list[i]);
                }

                var last = list[count - 1];
                list.Clear();
                if (!TryRunInline(last))
                {
                    Post(last);
                }
            }

            return pending;
        }
        finally
        {
            list.Clear();
            trampolineRun = null;
        }
    }

    /// <summary>
    /// Runs <paramref name="message"/> on this thread if its node allows: an exclusive node (one task at a time, or a
    /// factory node) when its actor is idle with an empty mailbox; a concurrent delegate node while fewer than its
    /// parallelism of its tasks run inline (it is stateless, so it needs no actor turn).
    /// </summary>
    private bool TryRunInline(NodeTask<TState, TUpdate> message)
    {
        var index = message.Task.Node.Index;
        var cap = inlineCaps[index];
        if (cap == 0)
        {
            return nodes[index].TryRunInline(message);
        }

        if (Volatile.Read(ref disposed) != 0)
        {
            return false;
        }

        if (Interlocked.Increment(ref inlineRunning[index]) > cap)
        {
            Interlocked.Decrement(ref inlineRunning[index]);
            return false;
        }

        var pending = message.Run.RunTaskAsync(message.Task, null);
        if (pending.IsCompleted)
        {
            Interlocked.Decrement(ref inlineRunning[index]);
        }
        else
        {
            _ = InlineDoneAsync(pending, index);
        }

        return true;
    }

    private async Task InlineDoneAsync(ValueTask pending, int index)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref inlineRunning[index]);
        }
    }

    private void Post(NodeTask<TState, TUpdate> message)
    {
        var pending = nodes[message.Task.Node.Index].SendAsync(message, message.Run.CancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            _ = ObserveAsync(pending, message.Run, message.Task.Index);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        // Queued tasks drain (within the actors' drain timeout); anything left is dead-lettered and reported to its run.
        await supervisor.StopAsync().ConfigureAwait(false);
        deadLetters.Dispose();
        if (ownsSystem)
        {
            await system.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A task whose message was dead-lettered never ran, or never reported: tell its run. The one exception is the
    /// instance fault a node actor fails with after its task was reported (<see cref="NodeInstanceFaultException"/>).
    /// </summary>
    public void OnNext(DeadLetter value)
    {
        if (value.Message is NodeTask<TState, TUpdate> message
            && !(value.Reason == DeadLetterReason.HandlerFaulted && value.Exception is NodeInstanceFaultException)
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
