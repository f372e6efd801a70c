using System.Runtime.CompilerServices;

namespace Graph.Engine.Graphs;

/// <summary>
/// The node and worker shapes users write: synchronous or asynchronous (<see cref="ValueTask{TResult}"/> or
/// <see cref="Task{TResult}"/>), with or without <see cref="NodeContext"/>, returning an update or a
/// <see cref="NodeResult{TUpdate}"/> (update or command). Where a lambda fits several shapes, the one returning a
/// plain update wins (<see cref="OverloadResolutionPriorityAttribute"/>), so <c>s =&gt; null</c>, an update of an
/// interface type and <c>async (s, ctx) =&gt; update</c> are never ambiguous. The asynchronous shapes never continue
/// on a caller's synchronization context, except the testing kit's deterministic scheduler
/// (<see cref="NodeContinuations"/>).
/// </summary>
public sealed partial class StateGraph<TState, TUpdate>
{
    /// <summary>Adds an asynchronous node that returns an update.</summary>
    /// <param name="name">The unique node name.</param>
    /// <param name="node">The node function.</param>
    /// <param name="options">Per-node options; null for <see cref="NodeOptions.Default"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    [OverloadResolutionPriority(1)]
    public StateGraph<TState, TUpdate> AddNode(string name, Func<TState, NodeContext, ValueTask<TUpdate>> node, NodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        return AddNode(name, async (s, c) => NodeResult<TUpdate>.FromUpdate(await node(s, c).ConfigureAwait(NodeContinuations.OnCapturedContext)), options);
    }

    /// <summary>Adds an asynchronous node that returns an update as a <see cref="Task{TResult}"/>, e.g. <c>(s, ctx) =&gt; service.GetAsync(s, ctx.CancellationToken)</c>.</summary>
    /// <param name="name">The unique node name.</param>
    /// <param name="node">The node function.</param>
    /// <param name="options">Per-node options; null for <see cref="NodeOptions.Default"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public StateGraph<TState, TUpdate> AddNode(string name, Func<TState, NodeContext, Task<TUpdate>> node, NodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        return AddNode(name, async (s, c) => NodeResult<TUpdate>.FromUpdate(await node(s, c).ConfigureAwait(NodeContinuations.OnCapturedContext)), options);
    }

    /// <summary>Adds a synchronous node that returns an update.</summary>
    /// <param name="name">The unique node name.</param>
    /// <param name="node">The node function.</param>
    /// <param name="options">Per-node options; null for <see cref="NodeOptions.Default"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    [OverloadResolutionPriority(1)]
    public StateGraph<TState, TUpdate> AddNode(string name, Func<TState, NodeContext, TUpdate> node, NodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        return AddNode(name, (s, c) => new ValueTask<NodeResult<TUpdate>>(NodeResult<TUpdate>.FromUpdate(node(s, c))), options);
    }

    /// <summary>Adds a synchronous node that may return an update or a command.</summary>
    /// <param name="name">The unique node name.</param>
    /// <param name="node">The node function.</param>
    /// <param name="options">Per-node options; null for <see cref="NodeOptions.Default"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public StateGraph<TState, TUpdate> AddNode(string name, Func<TState, NodeContext, NodeResult<TUpdate>> node, NodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        return AddNode(name, (s, c) => new ValueTask<NodeResult<TUpdate>>(node(s, c)), options);
    }

    /// <summary>Adds a synchronous node that maps the state to an update.</summary>
    /// <param name="name">The unique node name.</param>
    /// <param name="node">The node function.</param>
    /// <param name="options">Per-node options; null for <see cref="NodeOptions.Default"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    [OverloadResolutionPriority(1)]
    public StateGraph<TState, TUpdate> AddNode(string name, Func<TState, TUpdate> node, NodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(node);
        nodes.Add(new(name, NodeKind.State, options ?? NodeOptions.Default)
        {
            Function = (s, _) => new ValueTask<NodeResult<TUpdate>>(NodeResult<TUpdate>.FromUpdate(node(s))),
            Update = node,
        });
        return this;
    }

    /// <summary>Adds an asynchronous node that maps the state to an update, e.g. <c>async s =&gt; …</c> or a method returning <see cref="Task{TResult}"/>.</summary>
    /// <param name="name">The unique node name.</param>
    /// <param name="node">The node function.</param>
    /// <param name="options">Per-node options; null for <see cref="NodeOptions.Default"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public StateGraph<TState, TUpdate> AddNode(string name, Func<TState, Task<TUpdate>> node, NodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        return AddNode(name, async (s, _) => NodeResult<TUpdate>.FromUpdate(await node(s).ConfigureAwait(NodeContinuations.OnCapturedContext)), options);
    }

    /// <summary>Adds a synchronous node that maps the state to an update or a <see cref="Command{TUpdate}"/>, e.g. <c>s =&gt; new Command&lt;TUpdate&gt;(…)</c>.</summary>
    /// <param name="name">The unique node name.</param>
    /// <param name="node">The node function.</param>
    /// <param name="options">Per-node options; null for <see cref="NodeOptions.Default"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public StateGraph<TState, TUpdate> AddNode(string name, Func<TState, NodeResult<TUpdate>> node, NodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        return AddNode(name, (s, _) => new ValueTask<NodeResult<TUpdate>>(node(s)), options);
    }

    /// <summary>Adds an asynchronous worker node that returns an update.</summary>
    /// <typeparam name="TArg">The send argument type.</typeparam>
    /// <param name="name">The unique node name.</param>
    /// <param name="worker">The worker function.</param>
    /// <param name="options">Per-node options; null for <see cref="NodeOptions.Default"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    [OverloadResolutionPriority(1)]
    public StateGraph<TState, TUpdate> AddWorker<TArg>(string name, Func<TArg, NodeContext, ValueTask<TUpdate>> worker, NodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return AddWorker<TArg>(name, async (a, c) => NodeResult<TUpdate>.FromUpdate(await worker(a, c).ConfigureAwait(NodeContinuations.OnCapturedContext)), options);
    }

    /// <summary>Adds an asynchronous worker node that returns an update as a <see cref="Task{TResult}"/>.</summary>
    /// <typeparam name="TArg">The send argument type.</typeparam>
    /// <param name="name">The unique node name.</param>
    /// <param name="worker">The worker function.</param>
    /// <param name="options">Per-node options; null for <see cref="NodeOptions.Default"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public StateGraph<TState, TUpdate> AddWorker<TArg>(string name, Func<TArg, NodeContext, Task<TUpdate>> worker, NodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return AddWorker<TArg>(name, async (a, c) => NodeResult<TUpdate>.FromUpdate(await worker(a, c).ConfigureAwait(NodeContinuations.OnCapturedContext)), options);
    }

    /// <summary>Adds a synchronous worker node that returns an update, also when the update type is an interface such as <see cref="Reducers.Append{T}"/>'s <see cref="IReadOnlyList{T}"/>.</summary>
    /// <typeparam name="TArg">The send argument type.</typeparam>
    /// <param name="name">The unique node name.</param>
    /// <param name="worker">The worker function.</param>
    /// <param name="options">Per-node options; null for <see cref="NodeOptions.Default"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    [OverloadResolutionPriority(1)]
    public StateGraph<TState, TUpdate> AddWorker<TArg>(string name, Func<TArg, NodeContext, TUpdate> worker, NodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return AddWorker<TArg>(name, (a, c) => new ValueTask<NodeResult<TUpdate>>(NodeResult<TUpdate>.FromUpdate(worker(a, c))), options);
    }

    /// <summary>Adds a synchronous worker node that may return an update or a command.</summary>
    /// <typeparam name="TArg">The send argument type.</typeparam>
    /// <param name="name">The unique node name.</param>
    /// <param name="worker">The worker function.</param>
    /// <param name="options">Per-node options; null for <see cref="NodeOptions.Default"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public StateGraph<TState, TUpdate> AddWorker<TArg>(string name, Func<TArg, NodeContext, NodeResult<TUpdate>> worker, NodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return AddWorker<TArg>(name, (a, c) => new ValueTask<NodeResult<TUpdate>>(worker(a, c)), options);
    }

    /// <summary>Adds a synchronous worker node that maps its send argument to an update.</summary>
    /// <typeparam name="TArg">The send argument type.</typeparam>
    /// <param name="name">The unique node name.</param>
    /// <param name="worker">The worker function.</param>
    /// <param name="options">Per-node options; null for <see cref="NodeOptions.Default"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    [OverloadResolutionPriority(1)]
    public StateGraph<TState, TUpdate> AddWorker<TArg>(string name, Func<TArg, TUpdate> worker, NodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return AddWorker<TArg>(name, (a, _) => new ValueTask<NodeResult<TUpdate>>(NodeResult<TUpdate>.FromUpdate(worker(a))), options);
    }
}
