namespace Graph.Engine.Graphs;

/// <summary>
/// The default executor: runs each task on the thread pool, honouring <see cref="NodeOptions.MaxParallelism"/> with a
/// per-node semaphore (shared by all runs) and keeping one instance per factory node, replaced after a failure.
/// <see cref="NodeOptions.MailboxCapacity"/> is not used: waiting tasks queue without bound.
/// A task dispatched while a worker is running a task of the same run synchronously (the usual case for a chain: the
/// finishing task plans the next step) is kept and run by that worker right after, in a loop rather than recursively,
/// which saves a thread-pool hop per step; further tasks of the step are queued and run in parallel. Other runs'
/// tasks (e.g. a subgraph started by a node) are always queued, so a node blocking on them cannot deadlock.
/// </summary>
internal sealed class ThreadPoolTaskExecutor<TState, TUpdate> : ITaskExecutor<TState, TUpdate>
{
    [ThreadStatic]
    private static object? currentRun;

    [ThreadStatic]
    private static WorkItem? pending;

    private readonly SemaphoreSlim?[] gates;
    private readonly INode<TState, TUpdate>?[] instances;
    private int disposed;

    public ThreadPoolTaskExecutor(GraphModel<TState, TUpdate> model)
    {
        gates = [.. model.Nodes.Select(n => n.Options.MaxParallelism == NodeOptions.Unbounded ? null : new SemaphoreSlim(n.Options.MaxParallelism))];
        instances = new INode<TState, TUpdate>?[model.Nodes.Length];
    }

    public void Dispatch(GraphRun<TState, TUpdate> run, in PlannedTask<TState, TUpdate> task)
    {
        var item = new WorkItem(this, run, task);
        if (pending is null && ReferenceEquals(currentRun, run))
        {
            pending = item;
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        for (var i = 0; i < instances.Length; i++)
        {
            if (Interlocked.Exchange(ref instances[i], null) is { } instance)
            {
                await DisposeInstanceAsync(instance).ConfigureAwait(false);
            }
        }
    }

    private static async ValueTask DisposeInstanceAsync(INode<TState, TUpdate> instance)
    {
        if (instance is IAsyncDisposable ad)
        {
            await ad.DisposeAsync().ConfigureAwait(false);
        }
        else if (instance is IDisposable d)
        {
            d.Dispose();
        }
    }

    private async ValueTask RunAsync(GraphRun<TState, TUpdate> run, PlannedTask<TState, TUpdate> task)
    {
        var gate = gates[task.Node.Index];
        if (gate is not null)
        {
            try
            {
                await gate.WaitAsync(run.CancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex)
            {
                run.OnTaskCompleted(task.Index, default, ex);
                return;
            }
        }

        try
        {
            INode<TState, TUpdate>? instance = null;
            if (task.Node.Kind == NodeKind.Factory)
            {
                instance = Volatile.Read(ref instances[task.Node.Index]);
                if (instance is null)
                {
                    try
                    {
                        var created = task.Node.Factory!();
                        instance = Interlocked.CompareExchange(ref instances[task.Node.Index], created, null) ?? created;
                    }
                    catch (Exception ex)
                    {
                        run.OnTaskCompleted(task.Index, default, new NodeFailedException(task.Node.Name, task.Step, task.Index, 1, ex));
                        return;
                    }
                }
            }

            var ok = await run.RunTaskAsync(task, instance).ConfigureAwait(false);
            if (!ok && instance is not null && Interlocked.CompareExchange(ref instances[task.Node.Index], null, instance) == instance)
            {
                await DisposeInstanceAsync(instance).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // Only disposal of a faulted instance can get here; the task itself was already reported.
            GC.KeepAlive(ex);
        }
        finally
        {
            gate?.Release();
        }
    }

    private sealed class WorkItem(ThreadPoolTaskExecutor<TState, TUpdate> executor, GraphRun<TState, TUpdate> run, PlannedTask<TState, TUpdate> task)
        : IThreadPoolWorkItem
    {
        private readonly ThreadPoolTaskExecutor<TState, TUpdate> executor = executor;
        private readonly GraphRun<TState, TUpdate> run = run;
        private readonly PlannedTask<TState, TUpdate> task = task;

        public void Execute()
        {
            // Runs this task, then any task dispatched synchronously meanwhile, iteratively.
            try
            {
                var item = this;
                while (item is not null)
                {
                    currentRun = item.run;
                    _ = item.executor.RunAsync(item.run, item.task);
                    currentRun = null;
                    item = pending;
                    pending = null;
                }
            }
            finally
            {
                currentRun = null;
            }
        }
    }
}
