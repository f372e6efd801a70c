using System.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>
/// What a running task knows about its run: cancellation, run and thread ids, step, node, task index,
/// attempt number, and a way to write custom stream events. Cheap to copy (a small readonly struct).
/// </summary>
[DebuggerDisplay("{Node,nq} step {Step} task {TaskIndex} attempt {Attempt}")]
public readonly struct NodeContext
{
    private readonly GraphRunBase? run;

    internal NodeContext(GraphRunBase run, string node, int step, int taskIndex, int attempt, CancellationToken cancellationToken)
    {
        this.run = run;
        Node = node;
        Step = step;
        TaskIndex = taskIndex;
        Attempt = attempt;
        CancellationToken = cancellationToken;
    }

    /// <summary>Cancelled when the run is cancelled, times out or fails, or when this attempt's node timeout elapses.</summary>
    public CancellationToken CancellationToken { get; }

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
}
