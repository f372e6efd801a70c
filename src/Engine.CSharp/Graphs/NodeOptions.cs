using Polly;

namespace Graph.Engine.Graphs;

/// <summary>
/// Per-node execution options. Immutable; derive variants with <c>with</c> (e.g. <c>NodeOptions.Default with { Timeout = ... }</c>).
/// </summary>
public sealed record NodeOptions
{
    /// <summary>The value of <see cref="MaxParallelism"/> that means "no limit".</summary>
    public const int Unbounded = -1;

    /// <summary>The value of <see cref="MaxParallelism"/> that lets the kind of node decide (the default).</summary>
    public const int Auto = 0;

    /// <summary>The default options.</summary>
    public static NodeOptions Default { get; } = new();

    /// <summary>
    /// The maximum number of tasks of this node running at once, across all runs of the compiled graph.
    /// <see cref="Auto"/> (the default): a delegate node (a function or worker, meant to be stateless) runs up to
    /// <see cref="GraphCompileOptions.MaxNodeParallelism"/> tasks at once, within its mailbox; a factory node runs one
    /// task at a time on one instance. A number N: at most N tasks at once; a factory node then keeps a pool of up to
    /// N instances, each running one task at a time (1 makes any node an actor that runs one task at a time).
    /// <see cref="Unbounded"/>: no limit but the mailbox.
    /// </summary>
    /// <value>Default <see cref="Auto"/>.</value>
    public int MaxParallelism { get; init; } = Auto;

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
    /// The idle timeout of one attempt; null means none. The attempt is given up when it goes this long without calling
    /// <see cref="NodeContext.Heartbeat"/> (each heartbeat pushes the deadline back by the full length), and fails with a
    /// <see cref="TimeoutException"/> naming the node, step and idle timeout (retryable, as <see cref="Timeout"/>). It
    /// keeps the guarantees of <see cref="Timeout"/>: a factory instance whose call is still running is never called
    /// again and is disposed when the call returns. Both timeouts may be set: <see cref="Timeout"/> caps the attempt
    /// however often it heartbeats.
    /// </summary>
    /// <value>Default null.</value>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>
    /// Makes the node cacheable: a task whose input has a fresh entry in <see cref="GraphCompileOptions.NodeCache"/>
    /// skips the node and applies the cached result. Null means never cached.
    /// </summary>
    /// <value>Default null.</value>
    public CachePolicy? Cache { get; init; }

    /// <summary>
    /// The nodes a <see cref="Command{TUpdate}"/> returned by this node may go to. Used for validation (a node with
    /// destinations has a way out), for drawing, and at run time (a goto outside the list fails the run).
    /// Null means no command routing is declared.
    /// </summary>
    /// <value>Default null.</value>
    public IReadOnlyList<string>? Destinations { get; init; }

    /// <summary>The tasks a node of <paramref name="kind"/> runs at once under these options; <see cref="Unbounded"/> for no limit.</summary>
    internal int ParallelismFor(NodeKind kind, int delegateCap) =>
        MaxParallelism != Auto ? MaxParallelism
        : kind == NodeKind.Factory ? 1
        : delegateCap;

    internal IEnumerable<string> Validate(string node)
    {
        if (MaxParallelism < Unbounded)
        {
            yield return $"Node '{node}': MaxParallelism must be positive, NodeOptions.Auto or NodeOptions.Unbounded (was {MaxParallelism}).";
        }

        if (MailboxCapacity < 1)
        {
            yield return $"Node '{node}': MailboxCapacity must be at least 1 (was {MailboxCapacity}).";
        }

        if (Timeout is { } t && t <= TimeSpan.Zero && t != System.Threading.Timeout.InfiniteTimeSpan)
        {
            yield return $"Node '{node}': Timeout must be positive (was {t}).";
        }

        if (IdleTimeout is { } idle && idle <= TimeSpan.Zero && idle != System.Threading.Timeout.InfiniteTimeSpan)
        {
            yield return $"Node '{node}': IdleTimeout must be positive (was {idle}).";
        }

        if (Cache is not null)
        {
            foreach (var e in Cache.Validate(node))
            {
                yield return e;
            }
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
