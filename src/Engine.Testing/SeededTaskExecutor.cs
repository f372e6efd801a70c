using Graph.Engine.Graphs;
using Microsoft.Extensions.Logging.Abstractions;

namespace Graph.Engine.Testing;

/// <summary>
/// The deterministic executor: every published step is a piece of work on a <see cref="DeterministicScheduler"/>,
/// which claims the step's tasks and posts each as its own piece of work, so the seed chooses the order in which the
/// tasks of a step (and of concurrent runs) start and continue. Node mailboxes and parallelism limits are not
/// modelled: a task runs as soon as the scheduler picks it.
/// </summary>
internal sealed class SeededTaskExecutor<TState, TUpdate> : ITaskExecutor<TState, TUpdate>
{
    private readonly DeterministicScheduler scheduler;
    private readonly NodeStubs<TState, TUpdate> stubs;
    private readonly NodeInstances<TState, TUpdate>?[] instances;

    public SeededTaskExecutor(GraphModel<TState, TUpdate> model, DeterministicScheduler scheduler, NodeStubs<TState, TUpdate> stubs)
    {
        this.scheduler = scheduler;
        this.stubs = stubs;
        instances = new NodeInstances<TState, TUpdate>?[model.Nodes.Length];
        foreach (var node in model.Nodes)
        {
            if (node.Kind == NodeKind.Factory)
            {
                instances[node.Index] = new NodeInstances<TState, TUpdate>(node, NullLogger.Instance);
            }
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

            scheduler.Post(static s => { var (self, r, t) = ((SeededTaskExecutor<TState, TUpdate>, GraphRun<TState, TUpdate>, PlannedTask<TState, TUpdate>))s!; self.Start(r, t); }, (this, run, task));
        }
    }

    private void Start(GraphRun<TState, TUpdate> run, PlannedTask<TState, TUpdate> task)
    {
        scheduler.Note($"step {task.Step}: {task.Node.Name} #{task.Index}");
        var pending = run.RunTaskAsync(stubs.Apply(task), instances[task.Node.Index]);
        if (!pending.IsCompleted)
        {
            _ = pending.AsTask(); // RunTaskAsync never throws; it reports to the run
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pool in instances)
        {
            if (pool is not null)
            {
                await pool.DisposeAsync().ConfigureAwait(false);
            }
        }

    }
}
