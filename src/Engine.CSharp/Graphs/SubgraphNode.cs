namespace Graph.Engine.Graphs;

/// <summary>
/// The body of a subgraph node. On a durable parent (a thread id), the child runs on its own checkpointer or, compiled
/// without one, on the parent's, on its own thread, the parent task's namespace <c>{parent thread}|{task id}</c> (LangGraph's
/// <c>checkpoint_ns</c>): an interrupt in the child interrupts the parent task with the child's value, and when the
/// parent is resumed the task runs again and continues the child where it stopped, passing it the resume value.
/// </summary>
internal static class SubgraphNode
{
    /// <summary>The child's thread for the parent task <paramref name="taskId"/> of thread <paramref name="parentThreadId"/>.</summary>
    public static string Namespace(string parentThreadId, string taskId) => $"{parentThreadId}|{taskId}";

    public static async ValueTask<NodeResult<TUpdate>> RunAsync<TState, TUpdate, TChildState, TChildUpdate>(
        CompiledGraph<TChildState, TChildUpdate> child,
        Func<TState, TChildState> input,
        Func<TChildState, TUpdate> output,
        TState state,
        NodeContext ctx)
    {
        try
        {
            return await RunChildAsync(child, input, output, state, ctx).ConfigureAwait(false);
        }
        catch (Exception ex) when (ParentCommandException.Find(ex) is { } sent)
        {
            return sent.Command is Command<TUpdate> command
                ? NodeResult<TUpdate>.FromCommand(command)
                : throw new InvalidOperationException($"Node '{sent.Node}' of subgraph '{ctx.Node}' sent its parent a Command<{sent.UpdateType?.Name}>, but the parent's update type is {typeof(TUpdate).Name}.", sent);
        }
    }

    private static async ValueTask<NodeResult<TUpdate>> RunChildAsync<TState, TUpdate, TChildState, TChildUpdate>(
        CompiledGraph<TChildState, TChildUpdate> child,
        Func<TState, TChildState> input,
        Func<TChildState, TUpdate> output,
        TState state,
        NodeContext ctx)
    {
        child = ctx.Subgraph(child);
        var token = ctx.CancellationToken;
        var runId = $"{ctx.RunId}/{ctx.TaskId}";
        var store = child.Options.Checkpointer ?? ctx.RunCheckpointer;
        if (ctx.ThreadId is null || store is null)
        {
            var runOptions = new RunOptions { RunId = runId };
            var sink = ctx.SubgraphEvents(); // set when the parent's stream asked for subgraph events
            var final = sink is null
                ? await child.InvokeAsync(input(state), runOptions, token).ConfigureAwait(false)
                : await child.InvokeIntoAsync(input(state), runOptions, sink, token).ConfigureAwait(false);
            return NodeResult<TUpdate>.FromUpdate(output(final));
        }

        if (child.Options.Checkpointer is null)
        {
            child = child.OnStore(store); // compiled without a checkpointer: the child inherits the parent's store
        }

        var ns = Namespace(ctx.ThreadId, ctx.TaskId);

        // A namespace belongs to one parent task, so only an earlier attempt of this task can still hold it (cancelled
        // with its parent, or failed on a store fault): this attempt waits for it to end before it reads where the
        // child stands, so the two never race on the child's thread.
        var ticket = await ThreadRuns.For(store).AdmitAsync(store, ns, MultitaskStrategy.Enqueue, token).ConfigureAwait(false);
        GraphRunResult<TChildState> result;
        try
        {
            var options = new RunOptions { RunId = runId, ThreadId = ns, AdmittedByHost = true };
            var latest = await child.GetStateAsync(ns, null, token).ConfigureAwait(false);
            if (latest is { Next.Count: > 0 })
            {
                // The child stopped in an earlier attempt of this task (interrupt, failure or crash): continue it.
                Resume? resume = null;
                if (latest.Interrupts.Count > 0)
                {
                    // The parent's latest resume value answers the child's pending interrupt (earlier ones answered earlier ones).
                    var pending = latest.Interrupts[0];
                    resume = Resume.ById(new Dictionary<string, object?> { [pending.Id] = ctx.InterruptAt<object?>(Math.Max(0, ctx.ResumeValueCount - 1), pending.Value) });
                }

                result = await child.ResumeAsync(ns, resume, options, token).ConfigureAwait(false);
            }
            else
            {
                result = await child.RunAsync(input(state), options, token).ConfigureAwait(false);
            }
        }
        finally
        {
            ticket.Release();
        }

        if (result.IsInterrupted)
        {
            _ = ctx.InterruptAt<object?>(ctx.ResumeValueCount, result.Interrupts[0].Value); // throws: the parent task stops with the child's value
        }

        return NodeResult<TUpdate>.FromUpdate(output(result.State));
    }
}
