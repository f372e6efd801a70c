using Graph.Engine.Graphs;
using Microsoft.Extensions.Logging.Abstractions;

namespace Graph.Engine.Testing;

/// <summary>
/// The deterministic executor: every published step is a piece of work on a <see cref="DeterministicScheduler"/>,
/// which claims the step's tasks and posts each as its own piece of work, so the seed chooses the order in which the
/// tasks of a step (and of concurrent runs) start and continue. A node runs at most its parallelism of tasks at once
/// (one for an exclusive node); a task that finds its node busy waits in the node's queue, as in a mailbox, and a
/// cancelled run's waiting task is reported cancelled at once, as a cancelled mailbox send is. A subgraph node whose
/// child the test addressed runs the test's copy of the child (<see cref="ChildGraphs"/>) on the same scheduler.
/// </summary>
internal sealed class SeededTaskExecutor<TState, TUpdate> : ITaskExecutor<TState, TUpdate>, ISubgraphSource
{
    private readonly DeterministicScheduler scheduler;
    private readonly NodeStubs<TState, TUpdate> stubs;
    private readonly ChildGraphs children;
    private readonly NodeInstances<TState, TUpdate>?[] instances;
    private readonly NodeQueue[] queues;

    public SeededTaskExecutor(GraphModel<TState, TUpdate> model, DeterministicScheduler scheduler, NodeStubs<TState, TUpdate> stubs)
    {
        this.scheduler = scheduler;
        this.stubs = stubs;
        children = new ChildGraphs(scheduler);
        instances = new NodeInstances<TState, TUpdate>?[model.Nodes.Length];
        queues = new NodeQueue[model.Nodes.Length];
        foreach (var node in model.Nodes)
        {
            if (node.Kind == NodeKind.Factory)
            {
                instances[node.Index] = new NodeInstances<TState, TUpdate>(node, NullLogger.Instance);
            }

            queues[node.Index] = new NodeQueue(node.Parallelism == NodeOptions.Unbounded ? int.MaxValue : node.Parallelism);
        }

        stubs.Bind(model);
    }

    public void DispatchStep(GraphRun<TState, TUpdate> run) =>
        scheduler.Post(static s => { var (self, r) = ((SeededTaskExecutor<TState, TUpdate>, GraphRun<TState, TUpdate>))s!; self.Work(r); }, (this, run));

    public void Work(GraphRun<TState, TUpdate> run)
    {
        while (run.TryClaim(out var task, out _))
        {
            if (run.IsCancellationRequested)
            {
                run.OnTaskCompleted(task.Index, default, new OperationCanceledException(run.CancellationToken));
                continue;
            }

            Post(new Waiting(run, task));
        }
    }

    private void Post(Waiting waiting) =>
        scheduler.Post(static s => { var (self, w) = ((SeededTaskExecutor<TState, TUpdate>, Waiting))s!; self.Admit(w); }, (this, waiting));

    /// <summary>Starts the task if its node has room; otherwise queues it until a task of the node ends or its run is cancelled.</summary>
    private void Admit(Waiting waiting)
    {
        var queue = queues[waiting.Task.Node.Index];
        lock (queue)
        {
            if (queue.Running >= queue.Limit)
            {
                waiting.Registration = waiting.Run.CancellationToken.UnsafeRegister(static s => ((Waiting)s!).Cancelled(), waiting);
                queue.Waiting.Enqueue(waiting);
                return;
            }

            queue.Running++;
        }

        _ = RunAsync(waiting.Run, waiting.Task, queue);
    }

    private async Task RunAsync(GraphRun<TState, TUpdate> run, PlannedTask<TState, TUpdate> task, NodeQueue queue)
    {
        scheduler.Note($"step {task.Step}: {task.Node.Name} #{task.Index}");
        try
        {
            await run.RunTaskAsync(stubs.Apply(task), instances[task.Node.Index]).ConfigureAwait(true); // never throws: it reports to the run
        }
        finally
        {
            Waiting? next = null;
            lock (queue)
            {
                queue.Running--;
                while (next is null && queue.Waiting.TryDequeue(out var candidate))
                {
                    next = candidate.TryTake() ? candidate : null;
                }
            }

            if (next is not null)
            {
                Post(next);
            }
        }
    }

    public CompiledGraph<TChildState, TChildUpdate> Subgraph<TChildState, TChildUpdate>(string node, CompiledGraph<TChildState, TChildUpdate> child) =>
        children.Resolve(stubs.Child(node), node, child);

    public async ValueTask DisposeAsync()
    {
        await children.DisposeAsync().ConfigureAwait(false);
        foreach (var pool in instances)
        {
            if (pool is not null)
            {
                await pool.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>A node's admission: how many of its tasks run, how many may, and the tasks waiting for room.</summary>
    private sealed class NodeQueue(int limit)
    {
        public int Limit { get; } = limit;

        public int Running { get; set; }

        public Queue<Waiting> Waiting { get; } = new();
    }

    /// <summary>A task on its way to its node; taken once, by the node (to run) or by its run's cancellation (reported cancelled).</summary>
    private sealed class Waiting(GraphRun<TState, TUpdate> run, PlannedTask<TState, TUpdate> task)
    {
        private int taken;

        public GraphRun<TState, TUpdate> Run { get; } = run;

        public PlannedTask<TState, TUpdate> Task { get; } = task;

        public CancellationTokenRegistration Registration { get; set; }

        public bool TryTake()
        {
            if (Interlocked.Exchange(ref taken, 1) != 0)
            {
                return false;
            }

            Registration.Dispose();
            return true;
        }

        public void Cancelled()
        {
            if (Interlocked.Exchange(ref taken, 1) == 0)
            {
                Run.OnTaskCompleted(Task.Index, default, new OperationCanceledException(Run.CancellationToken));
            }
        }
    }
}
