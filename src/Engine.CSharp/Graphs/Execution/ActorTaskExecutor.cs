using Graph.Engine.Actors;
using Graph.Engine.Diagnostics;
using Graph.Engine.Supervision;
using Microsoft.Extensions.Logging;

namespace Graph.Engine.Graphs;

/// <summary>
/// The default executor: threads working on a run claim its tasks (<see cref="GraphRun{TState, TUpdate}.TryClaim"/>)
/// and run them where the node allows; behind each node one long-lived actor, shared by every run of the compiled
/// graph, whose bounded mailbox (<see cref="NodeOptions.MailboxCapacity"/>) holds the tasks that cannot run yet and
/// gives back-pressure across runs (tasks that find it full wait in the node's <see cref="NodeBacklog{TState, TUpdate}"/>). An exclusive or factory node runs as that actor (its degree of parallelism is
/// <see cref="NodeOptions.MaxParallelism"/>; a factory node's instances live with it); a concurrent delegate node
/// runs wherever it is claimed, within its <see cref="NodeSlots"/>.
/// The actors are the children of a <see cref="Supervisor"/> <c>graph-N</c> (policy
/// <see cref="GraphCompileOptions.NodeSupervision"/>) in <see cref="GraphCompileOptions.ActorSystem"/>, or in a
/// private system owned by the compiled graph.
/// </summary>
internal sealed partial class ActorTaskExecutor<TState, TUpdate> : ITaskExecutor<TState, TUpdate>
{
    private static int graphCount;

    private readonly GraphModel<TState, TUpdate> model;
    private readonly ActorSystem system;
    private readonly bool ownsSystem;
    private readonly Supervisor supervisor;
    private readonly ActorRef<NodeTask<TState, TUpdate>>[] nodes;
    private readonly IDisposable deadLetters;
    private readonly StepWatchdog<TState, TUpdate> watchdog;

    /// <summary>Per node: the slots of a concurrent delegate node; null for an exclusive node (see <see cref="TryRunInline"/>).</summary>
    private readonly NodeSlots?[] slots;

    /// <summary>Per node: the way into its mailbox (<see cref="NodeBacklog{TState, TUpdate}"/>), created with its first queued task.</summary>
    private readonly NodeBacklog<TState, TUpdate>?[] backlogs;

    private int disposed;

    public ActorTaskExecutor(GraphModel<TState, TUpdate> model, GraphCompileOptions options)
    {
        this.model = model;
        var logger = options.ResolveLoggerFactory().CreateLogger(GraphLog.Category);
        ownsSystem = options.ActorSystem is null;
        system = options.ActorSystem ?? new ActorSystem("graph", new ActorSystemOptions { TimeProvider = options.TimeProvider, LoggerFactory = options.ResolveLoggerFactory() });
        nodes = new ActorRef<NodeTask<TState, TUpdate>>[model.Nodes.Length];
        var children = new ChildSpec[model.Nodes.Length];
        slots = new NodeSlots?[model.Nodes.Length];
        backlogs = new NodeBacklog<TState, TUpdate>?[model.Nodes.Length];
        watchdog = new StepWatchdog<TState, TUpdate>(options.TimeProvider);
        foreach (var node in model.Nodes)
        {
            var concurrent = node.Kind != NodeKind.Factory && node.Parallelism != 1;
            if (concurrent)
            {
                slots[node.Index] = new NodeSlots(node.Parallelism == NodeOptions.Unbounded ? int.MaxValue : node.Parallelism);
            }

            // A concurrent node's mailbox holds only the tasks that found no slot; its one pump waits for the next slot.
            var actorOptions = new ActorOptions
            {
                Mailbox = MailboxOptions.Bounded(node.Options.MailboxCapacity),
                MaxDegreeOfParallelism = concurrent ? 1 : node.Parallelism,
            };
            var nodeSlots = slots[node.Index];
            children[node.Index] = ChildSpec.Worker<NodeTask<TState, TUpdate>>(Uri.EscapeDataString(node.Name), () => new NodeActor<TState, TUpdate>(node, this, nodeSlots, logger), options: actorOptions);
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
    /// The run's current step is published. A thread already working on the run (its trampoline) claims it in its
    /// loop. The thread starting the run works on it right away when it works on no other run and no
    /// synchronization context would capture the nodes (<see cref="RunTrampoline.CanStartInline"/>): a run whose
    /// nodes complete synchronously then finishes before <c>InvokeAsync</c> returns, with no hop. Otherwise the run
    /// is queued to the thread pool once (the run is its own work item), so runs continued from anywhere spread over
    /// the cores with no lock.
    /// </summary>
    public void DispatchStep(GraphRun<TState, TUpdate> run)
    {
        var owner = RunTrampoline.Owner;
        if (ReferenceEquals(owner, run))
        {
            return;
        }

        if (owner is null && run.IsStartingHere && RunTrampoline.CanStartInline)
        {
            RunTrampoline.Owner = run;
            try
            {
                Drain(run);
            }
            finally
            {
                RunTrampoline.Owner = null;
            }

            return;
        }

        Help(run);
    }

    /// <summary>Queues <paramref name="run"/> as a helper unless one is queued and not started yet (that one will claim).</summary>
    internal static void Help(GraphRun<TState, TUpdate> run)
    {
        if (run.TryQueueHelper())
        {
            ThreadPool.UnsafeQueueUserWorkItem(run, preferLocal: false);
        }
    }

    /// <summary>A helper on the pool: works on the run until nothing is left to claim.</summary>
    public void Work(GraphRun<TState, TUpdate> run)
    {
        run.HelperStarted();
        if (RunTrampoline.Owner is not null)
        {
            // The pool runs work items on a clean stack; should one ever nest, hand the run back rather than mix two loops.
            Help(run);
            return;
        }

        RunTrampoline.Owner = run;
        try
        {
            Drain(run);
        }
        finally
        {
            RunTrampoline.Owner = null;
        }
    }

    /// <summary>
    /// Runs a task that arrived through a node's mailbox, then works on its run like a helper: the steps that task
    /// completes are claimed here, so a chain costs no mailbox hop. Nested calls (an inline run) just run.
    /// </summary>
    internal ValueTask RunTrampolined(GraphRun<TState, TUpdate> run, in PlannedTask<TState, TUpdate> task, NodeInstances<TState, TUpdate>? instances)
    {
        if (RunTrampoline.Owner is not null)
        {
            return run.RunTask(task, instances);
        }

        RunTrampoline.Owner = run;
        try
        {
            var pending = run.RunTask(task, instances);
            Drain(run);
            return pending;
        }
        finally
        {
            RunTrampoline.Owner = null;
        }
    }

    /// <summary>
    /// Claims and runs the run's tasks until none is left, the next steps' included (a task that completes its step
    /// publishes the next one on this thread). No helper is queued for a step's unclaimed tasks: a task that returns
    /// lets this loop claim the next at once, and one that awaits does not hold it. While a step has unclaimed tasks
    /// this thread is registered with the <see cref="StepWatchdog{TState, TUpdate}"/>, which queues a helper when the
    /// thread has been on the run for a tick and tasks are still unclaimed (a task that blocks its thread, or a long
    /// synchronous one). A task whose node refuses to run it here goes to the node's mailbox.
    /// </summary>
    private void Drain(GraphRun<TState, TUpdate> run)
    {
        StepWatchdog<TState, TUpdate>.Drainer? watched = null;
        try
        {
            while (run.TryClaim(out var task, out var more))
            {
                if (more)
                {
                    if (watched is null)
                    {
                        watched = watchdog.Enter(run);
                    }
                    else
                    {
                        watchdog.EnsureArmed();
                    }
                }

                if (run.IsCancellationRequested)
                {
                    // The run names the reason (cancelled or timed out).
                    run.OnTaskCompleted(task.Index, default, new OperationCanceledException(run.CancellationToken));
                    continue;
                }

                var message = new NodeTask<TState, TUpdate>(run, task.Index);
                if (!TryRunInline(message, task))
                {
                    Post(message, task.Node.Index);
                }
            }
        }
        finally
        {
            watched?.Leave();
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
        watchdog.Dispose();
        deadLetters.Dispose();
        if (ownsSystem)
        {
            await system.DisposeAsync().ConfigureAwait(false);
        }
    }
}
