using Graph.Engine.Graphs;

namespace Graph.Cli.Demo;

/// <summary>
/// The demo's flaky node (<c>lookup</c>): an object node created by a factory, so its node actor owns the instance.
/// Its first attempt of every task fails with a simulated outage (an <see cref="IOException"/>), which the node's
/// <see cref="RetryPolicy"/> retries; the second attempt succeeds. Had every attempt failed, the run would end with a
/// <see cref="NodeFailedException"/> and the node actor's supervisor would replace this instance with a fresh one.
/// </summary>
/// <param name="instance">The instance number (1 for the first instance of a compiled graph).</param>
internal sealed class FlakyNode(int instance) : INode<DemoState, DemoUpdate>
{
    /// <summary>The instance number.</summary>
    public int Instance { get; } = instance;

    public ValueTask<NodeResult<DemoUpdate>> InvokeAsync(DemoState state, NodeContext context)
    {
        if (context.Attempt == 1)
        {
            var outage = new IOException("language service unavailable (simulated outage)");
            context.Emit(new FlakyAttempt(Instance, context.Attempt, outage.Message));
            throw outage;
        }

        context.Emit(new FlakyAttempt(Instance, context.Attempt, null));
        var text = string.Join(' ', state.Documents.Select(d => d.Text)).ToUpperInvariant();
        var english = new[] { " THE ", " AND ", " OF " }.Count(w => text.Contains(w, StringComparison.Ordinal));
        return ValueTask.FromResult<NodeResult<DemoUpdate>>(new DemoUpdate { Language = english >= 2 ? "English" : "unknown" });
    }
}

/// <summary>The custom event the flaky node writes for each attempt.</summary>
/// <param name="Instance">The node instance.</param>
/// <param name="Attempt">The attempt number (from 1).</param>
/// <param name="Error">The failure, or null when the attempt succeeded.</param>
internal sealed record FlakyAttempt(int Instance, int Attempt, string? Error);
