using Polly;

namespace Graph.Engine.Graphs;

/// <summary>
/// Per-node execution options. Immutable; derive variants with <c>with</c> (e.g. <c>NodeOptions.Default with { Timeout = ... }</c>).
/// </summary>
public sealed record NodeOptions
{
    /// <summary>The value of <see cref="MaxParallelism"/> that means "no limit".</summary>
    public const int Unbounded = -1;

    /// <summary>The default options.</summary>
    public static NodeOptions Default { get; } = new();

    /// <summary>
    /// The maximum number of tasks of this node running at once, across all runs of the compiled graph,
    /// or <see cref="Unbounded"/>. A node is an actor: the default 1 means one task at a time, which also makes
    /// a factory-created instance safe without locks. Raise it for stateless nodes that do I/O.
    /// </summary>
    /// <value>Default 1.</value>
    public int MaxParallelism { get; init; } = 1;

    /// <summary>The bounded mailbox capacity of the node's actor: a run dispatching to a full mailbox waits (back-pressure across runs).</summary>
    /// <value>Default 1000.</value>
    public int MailboxCapacity { get; init; } = 1000;

    /// <summary>The retry policy; null means a single attempt. Mutually exclusive with <see cref="ResiliencePipeline"/>.</summary>
    /// <value>Default null.</value>
    public RetryPolicy? Retry { get; init; }

    /// <summary>A Polly pipeline that wraps every task of the node (retries, circuit breaking...). Mutually exclusive with <see cref="Retry"/>.</summary>
    /// <value>Default null.</value>
    public ResiliencePipeline? ResiliencePipeline { get; init; }

    /// <summary>The timeout of one attempt; null means none. A timed-out attempt fails with <see cref="TimeoutException"/> (retryable).</summary>
    /// <value>Default null.</value>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// The nodes a <see cref="Command{TUpdate}"/> returned by this node may go to. Used for validation (a node with
    /// destinations has a way out), for drawing, and at run time (a goto outside the list fails the run).
    /// Null means no command routing is declared.
    /// </summary>
    /// <value>Default null.</value>
    public IReadOnlyList<string>? Destinations { get; init; }

    internal IEnumerable<string> Validate(string node)
    {
        if (MaxParallelism == 0 || MaxParallelism < Unbounded)
        {
            yield return $"Node '{node}': MaxParallelism must be positive or NodeOptions.Unbounded (was {MaxParallelism}).";
        }

        if (MailboxCapacity < 1)
        {
            yield return $"Node '{node}': MailboxCapacity must be at least 1 (was {MailboxCapacity}).";
        }

        if (Timeout is { } t && t <= TimeSpan.Zero && t != System.Threading.Timeout.InfiniteTimeSpan)
        {
            yield return $"Node '{node}': Timeout must be positive (was {t}).";
        }

        if (Retry is not null && ResiliencePipeline is not null)
        {
            yield return $"Node '{node}': set either Retry or ResiliencePipeline, not both.";
        }

        if (Retry is not null)
        {
            foreach (var e in Retry.Validate(node))
            {
                yield return e;
            }
        }
    }
}
