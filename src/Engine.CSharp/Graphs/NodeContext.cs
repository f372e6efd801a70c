using System.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>
/// What a running task knows about its run: cancellation, run and thread ids, step, node, task index,
/// attempt number, and a way to write custom stream events. Cheap to copy (a small readonly struct).
/// </summary>
[DebuggerDisplay("{Node,nq} step {Step} task {TaskIndex} attempt {Attempt}")]
public readonly partial struct NodeContext
{
    private readonly IGraphRun? run;
    // Null without persistence; the task id when the task has no resume values; else an InterruptScope.
    private readonly object? interrupts;
    private readonly CancellationToken token;

    internal NodeContext(IGraphRun run, string node, int step, int taskIndex, int attempt, CancellationToken cancellationToken, object? interrupts = null)
    {
        System.Diagnostics.Debug.Assert(interrupts is null or string or InterruptScope, "Interrupts are a task id or a scope.");
        this.run = run;
        this.interrupts = interrupts;
        Node = node;
        Step = step;
        TaskIndex = taskIndex;
        Attempt = attempt;
        token = cancellationToken;
    }

    /// <summary>Cancelled when the run is cancelled, times out or fails, or when this attempt's node timeout elapses.</summary>
    /// <remarks>Without an attempt's own token (no node timeout or pipeline), the run's token, created when first asked.</remarks>
    public CancellationToken CancellationToken => token.CanBeCanceled || run is null ? token : run.RunToken;

    /// <summary>The run's id (<see cref="RunOptions.RunId"/> or a generated one).</summary>
    public string RunId => run?.RunId ?? string.Empty;

    /// <summary>The run's thread id (<see cref="RunOptions.ThreadId"/>), or null.</summary>
    public string? ThreadId => run?.ThreadId;

    /// <summary>The superstep (1-based).</summary>
    public int Step { get; }

    /// <summary>The node being run.</summary>
    public string Node { get; }

    /// <summary>The task's position in the step's planned order (0-based).</summary>
    public int TaskIndex { get; }

    /// <summary>The attempt number (1 for the first attempt, higher on retries).</summary>
    public int Attempt { get; }

    /// <summary>A stable identifier of the task within its run: <c>step:index:node</c>.</summary>
    public string TaskId => $"{Step}:{TaskIndex}:{Node}";

    /// <summary>Writes a custom event to the run's stream (<see cref="CustomEvent"/>); ignored when nobody streams the run.</summary>
    /// <param name="payload">The event payload.</param>
    public void Emit(object? payload) => run?.EmitCustom(Node, Step, TaskIndex, payload);

    /// <summary>
    /// Writes a custom event to the run's stream, then waits while the stream's buffer is full (a slow consumer under
    /// <see cref="StreamOverflow.Wait"/> slows the node down); completes at once when nobody streams the run.
    /// </summary>
    /// <param name="payload">The event payload.</param>
    /// <returns>A task that completes when the stream has room.</returns>
    public ValueTask EmitAsync(object? payload) => run?.EmitCustomAsync(Node, Step, TaskIndex, payload) ?? default;

    /// <summary>The sink of a subgraph run started by this task, when the run's consumer wants subgraph events.</summary>
    internal System.Threading.Channels.ChannelWriter<GraphEvent>? SubgraphEvents() => run?.SubgraphEvents(Step, TaskId);

    /// <summary>
    /// Reports progress: pushes this attempt's <see cref="NodeOptions.IdleTimeout"/> back by its full length, so a long
    /// task that keeps reporting is not given up while a stuck one is. Cheap; does nothing when the node has no idle
    /// timeout or the attempt already timed out.
    /// </summary>
    public void Heartbeat() => run?.Heartbeat(Step, TaskIndex, Attempt);

    /// <summary>
    /// Stops this task until the thread is resumed (a dynamic interrupt, like LangGraph's <c>interrupt()</c>): the first
    /// time, it throws <see cref="NodeInterruptException"/> carrying <paramref name="value"/> (let it propagate); the run
    /// ends interrupted once the step's other tasks have finished (their results are kept). When the thread is resumed
    /// with a value for this interrupt, the node runs again <b>from its start</b> and this call returns that value.
    /// A node may interrupt several times: the n-th call returns the n-th resume value.
    /// </summary>
    /// <typeparam name="TResume">The type of the resume value.</typeparam>
    /// <param name="value">What to show the human (any value the serializer can write).</param>
    /// <returns>The resume value.</returns>
    /// <exception cref="NodeInterruptException">No resume value yet: the run stops here.</exception>
    /// <exception cref="InvalidOperationException">The run has no checkpointer or no thread id.</exception>
    /// <exception cref="InvalidCastException">The resume value is not a <typeparamref name="TResume"/>.</exception>
    public TResume Interrupt<TResume>(object? value) => InterruptAt<TResume>(-1, value);

    /// <summary>How many resume values this task received (its interrupts answered so far).</summary>
    internal int ResumeValueCount => (interrupts as InterruptScope)?.Values.Count ?? 0;

    /// <summary>
    /// The <paramref name="index"/>-th interrupt call of this task (-1: the call after the previous one): its resume
    /// value, or a stop when it has none. A task without resume values stops at its first call, so it needs no counter.
    /// </summary>
    internal TResume InterruptAt<TResume>(int index, object? value)
    {
        var (taskId, n, values) = NextCall(index, "Interrupt");
        var id = $"{taskId}#{n}";
        if (n < values.Count)
        {
            return values[n] switch
            {
                TResume typed => typed,
                null when default(TResume) is null => default!,
                var other => throw new InvalidCastException(
                    $"Interrupt '{id}' of node '{Node}' was resumed with {(other is null ? "null" : "a " + other.GetType().Name)}, but the node expects {typeof(TResume).Name}."),
            };
        }

        throw new NodeInterruptException(new GraphInterrupt(id, Node, taskId, InterruptKind.Dynamic, value)) { EarlierValues = values };
    }

    /// <summary>
    /// The task id, the number of this interrupt call (<paramref name="index"/>, or the one after the previous call when
    /// -1) and the task's resume values; advances the task's counter. <paramref name="method"/> names the caller in the
    /// error of a run without persistence.
    /// </summary>
    private (string TaskId, int Call, IReadOnlyList<object?> Values) NextCall(int index, string method)
    {
        switch (interrupts)
        {
            case InterruptScope scope:
                if (index >= 0)
                {
                    scope.Next = index;
                }

                return (scope.TaskId, scope.Next++, scope.Values);
            case string taskId:
                return (taskId, Math.Max(index, 0), []);
            default:
                throw new InvalidOperationException(
                    $"Node '{Node}' called {method}, which needs GraphCompileOptions.Checkpointer and RunOptions.ThreadId so the run can be resumed.");
        }
    }

    /// <summary>Like <see cref="Interrupt{TResume}(object?)"/>, returning the resume value as an object.</summary>
    /// <param name="value">What to show the human.</param>
    /// <returns>The resume value.</returns>
    /// <exception cref="NodeInterruptException">No resume value yet: the run stops here.</exception>
    /// <exception cref="InvalidOperationException">The run has no checkpointer or no thread id.</exception>
    public object? Interrupt(object? value) => Interrupt<object?>(value);
}
