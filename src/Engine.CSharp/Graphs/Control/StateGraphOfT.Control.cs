namespace Graph.Engine.Graphs;

/// <summary>Failure control: error handlers per node and for the whole graph, and the branch-failure policy (docs/control.md).</summary>
public sealed partial class StateGraph<TState, TUpdate>
{
    private readonly Dictionary<string, Func<TState, NodeFailure, NodeContext, NodeResult<TUpdate>>> errorHandlers = new(StringComparer.Ordinal);
    private Func<TState, NodeFailure, NodeContext, NodeResult<TUpdate>>? defaultErrorHandler;
    private BranchFailurePolicy branchFailures;
    private Func<NodeFailure, TUpdate>? collectFailure;
    private readonly List<JoinFailurePolicy<TUpdate>> joinPolicies = [];

    /// <summary>
    /// Handles the failure of <paramref name="node"/> after its last attempt (retries included): the handler gets the
    /// state the task read and the <see cref="NodeFailure"/>, and returns what the node would have: an update, a
    /// <see cref="Command{TUpdate}"/> (to a handler node, to END; within the node's declared
    /// <see cref="NodeOptions.Destinations"/> if it has any) or <see cref="NodeResult{TUpdate}.None"/>. The node's edges
    /// are followed as after a success. It may call <see cref="NodeContext.Interrupt{TResume}(object?)"/> to ask a
    /// person (the node runs again on resume). The failure is recorded with the step (a pending error write), and the
    /// handler's result as the task's write. A handler that throws fails the task.
    /// </summary>
    /// <param name="node">The node.</param>
    /// <param name="handler">The handler.</param>
    /// <returns>This graph.</returns>
    /// <exception cref="ArgumentException"><paramref name="node"/> is empty or already has a handler.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is null.</exception>
    public StateGraph<TState, TUpdate> OnNodeError(string node, Func<TState, NodeFailure, NodeContext, NodeResult<TUpdate>> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        ArgumentNullException.ThrowIfNull(handler);
        if (!errorHandlers.TryAdd(node, handler))
        {
            throw new ArgumentException($"Node '{node}' already has an error handler.", nameof(node));
        }

        return this;
    }

    /// <summary>
    /// Handles the failure of <paramref name="node"/> with an update (see
    /// <see cref="OnNodeError(string, Func{TState, NodeFailure, NodeContext, NodeResult{TUpdate}})"/>, the full form).
    /// </summary>
    /// <param name="node">The node.</param>
    /// <param name="handler">Returns the update the failed task writes.</param>
    /// <returns>This graph.</returns>
    /// <exception cref="ArgumentException"><paramref name="node"/> is empty or already has a handler.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is null.</exception>
    public StateGraph<TState, TUpdate> OnNodeError(string node, Func<TState, NodeFailure, TUpdate> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return OnNodeError(node, (state, failure, _) => NodeResult<TUpdate>.FromUpdate(handler(state, failure)));
    }

    /// <summary>The default error handler in its update form (see <see cref="OnAnyNodeError(Func{TState, NodeFailure, NodeContext, NodeResult{TUpdate}})"/>).</summary>
    /// <param name="handler">Returns the update the failed task writes.</param>
    /// <returns>This graph.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A default handler is already set.</exception>
    public StateGraph<TState, TUpdate> OnAnyNodeError(Func<TState, NodeFailure, TUpdate> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return OnAnyNodeError((state, failure, _) => NodeResult<TUpdate>.FromUpdate(handler(state, failure)));
    }

    /// <summary>
    /// The error handler of every node that has none of its own (LangGraph's node defaults); see
    /// <see cref="OnNodeError(string, Func{TState, NodeFailure, NodeContext, NodeResult{TUpdate}})"/>.
    /// </summary>
    /// <param name="handler">The handler.</param>
    /// <returns>This graph.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A default handler is already set.</exception>
    public StateGraph<TState, TUpdate> OnAnyNodeError(Func<TState, NodeFailure, NodeContext, NodeResult<TUpdate>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (defaultErrorHandler is not null)
        {
            throw new InvalidOperationException("The graph already has a default error handler.");
        }

        defaultErrorHandler = handler;
        return this;
    }

    /// <summary>
    /// Sets what a step does when a task fails and no error handler takes the failure:
    /// <see cref="BranchFailurePolicy.FailFast"/> (the default) or <see cref="BranchFailurePolicy.ContinueOthers"/>. For
    /// <see cref="BranchFailurePolicy.Collect"/> use <see cref="CollectBranchFailures"/>, which needs the collector.
    /// </summary>
    /// <param name="policy">FailFast or ContinueOthers.</param>
    /// <returns>This graph.</returns>
    /// <exception cref="ArgumentException"><paramref name="policy"/> is Collect or not a defined value.</exception>
    public StateGraph<TState, TUpdate> SetBranchFailures(BranchFailurePolicy policy)
    {
        if (policy is not (BranchFailurePolicy.FailFast or BranchFailurePolicy.ContinueOthers))
        {
            throw new ArgumentException($"SetBranchFailures takes FailFast or ContinueOthers (was {policy}); Collect needs a collector: use CollectBranchFailures.", nameof(policy));
        }

        branchFailures = policy;
        collectFailure = null;
        return this;
    }

    /// <summary>
    /// <see cref="BranchFailurePolicy.Collect"/>: a failed task of a node without its own error handler writes
    /// <paramref name="collect"/>'s update instead, and its edges and joins are followed, so a join (or any later
    /// node) reads each branch's result or error from the state.
    /// </summary>
    /// <param name="collect">Turns a failure into the update the failed task writes.</param>
    /// <returns>This graph.</returns>
    /// <remarks>A node's own handler, then the default handler (<see cref="OnAnyNodeError(Func{TState, NodeFailure, TUpdate})"/>), come before the collector.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="collect"/> is null.</exception>
    public StateGraph<TState, TUpdate> CollectBranchFailures(Func<NodeFailure, TUpdate> collect)
    {
        ArgumentNullException.ThrowIfNull(collect);
        branchFailures = BranchFailurePolicy.Collect;
        collectFailure = collect;
        return this;
    }

    /// <summary>
    /// Adds a join (see <see cref="AddJoin(IEnumerable{string}, string)"/>) with its own branch-failure policy, which
    /// holds for failed tasks of its sources instead of the graph's: <see cref="BranchFailurePolicy.FailFast"/> or
    /// <see cref="BranchFailurePolicy.ContinueOthers"/>.
    /// </summary>
    /// <param name="sources">The sources (at most 64).</param>
    /// <param name="target">The target node.</param>
    /// <param name="branchFailures">FailFast or ContinueOthers (for Collect, pass the collector instead).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="branchFailures"/> is Collect or not a defined value.</exception>
    public StateGraph<TState, TUpdate> AddJoin(IEnumerable<string> sources, string target, BranchFailurePolicy branchFailures)
    {
        if (branchFailures is not (BranchFailurePolicy.FailFast or BranchFailurePolicy.ContinueOthers))
        {
            throw new ArgumentException($"AddJoin takes FailFast or ContinueOthers (was {branchFailures}); for Collect pass the collector.", nameof(branchFailures));
        }

        return AddJoinWithPolicy(sources, target, branchFailures, null);
    }

    /// <summary>
    /// Adds a join whose sources' failures are collected (<see cref="BranchFailurePolicy.Collect"/> for this join
    /// only): a failed source writes <paramref name="collect"/>'s update, so <paramref name="target"/> reads each
    /// branch's result or error from the state.
    /// </summary>
    /// <param name="sources">The sources (at most 64).</param>
    /// <param name="target">The target node.</param>
    /// <param name="collect">Turns a source's failure into the update it writes.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public StateGraph<TState, TUpdate> AddJoin(IEnumerable<string> sources, string target, Func<NodeFailure, TUpdate> collect)
    {
        ArgumentNullException.ThrowIfNull(collect);
        return AddJoinWithPolicy(sources, target, BranchFailurePolicy.Collect, collect);
    }

    private StateGraph<TState, TUpdate> AddJoinWithPolicy(IEnumerable<string> sources, string target, BranchFailurePolicy policy, Func<NodeFailure, TUpdate>? collect)
    {
        ArgumentNullException.ThrowIfNull(sources);
        string[] list = [.. sources];
        AddJoin(list, target);
        joinPolicies.Add(new JoinFailurePolicy<TUpdate>(list, target, policy, collect));
        return this;
    }

    /// <summary>The compiled control of <paramref name="model"/>; names of unknown nodes are validation errors.</summary>
    private GraphControl<TState, TUpdate> BuildControl(GraphModel<TState, TUpdate> model)
    {
        var unknown = errorHandlers.Keys.Where(n => model.Find(n) is null).Select(n => $"OnNodeError names unknown node '{n}'.").ToList();
        if (unknown.Count > 0)
        {
            throw new GraphValidationException(unknown);
        }

        if (errorHandlers.Count == 0 && defaultErrorHandler is null && branchFailures == BranchFailurePolicy.FailFast && joinPolicies.Count == 0)
        {
            return new GraphControl<TState, TUpdate>([], []);
        }

        // Per node: its join's policy (and collector) when it feeds a join that has one, else the graph's.
        var policies = new BranchFailurePolicy[model.Nodes.Length];
        var collectors = new Func<NodeFailure, TUpdate>?[model.Nodes.Length];
        var ruledBy = new JoinFailurePolicy<TUpdate>?[model.Nodes.Length];
        var conflicts = new List<string>();
        foreach (var node in model.Nodes)
        {
            policies[node.Index] = branchFailures;
            collectors[node.Index] = collectFailure;
        }

        foreach (var join in joinPolicies)
        {
            foreach (var source in join.Sources)
            {
                if (model.Find(source) is not { } node)
                {
                    continue; // the model's validation names unknown join sources
                }

                if (ruledBy[node.Index] is { } other && (other.Policy != join.Policy || other.Collect != join.Collect))
                {
                    conflicts.Add($"Node '{source}' feeds joins with different branch-failure policies or collectors ({other.Policy} into '{other.Target}', {join.Policy} into '{join.Target}').");
                    continue;
                }

                ruledBy[node.Index] = join;
                policies[node.Index] = join.Policy;
                collectors[node.Index] = join.Collect;
            }
        }

        if (conflicts.Count > 0)
        {
            throw new GraphValidationException(conflicts);
        }

        var handlers = new Func<TState, NodeFailure, NodeContext, NodeResult<TUpdate>>?[model.Nodes.Length];
        foreach (var node in model.Nodes)
        {
            var collect = collectors[node.Index];
            handlers[node.Index] = errorHandlers.GetValueOrDefault(node.Name)
                ?? defaultErrorHandler
                ?? (collect is null ? null : (_, failure, _) => collect(failure));
        }

        return new GraphControl<TState, TUpdate>(handlers, policies);
    }
}
