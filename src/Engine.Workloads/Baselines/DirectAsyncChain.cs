namespace Graph.Engine.Workloads.Baselines;

/// <summary>
/// The floor of a chain: N plain async calls, each adding 1, in one async method per run.
/// Every call completes synchronously, so a run allocates nothing.
/// </summary>
public sealed class DirectAsyncChain : Workload
{
    private readonly Func<int, CancellationToken, ValueTask<int>>[] nodes;

    /// <summary>Creates the direct-call chain of <paramref name="length"/> nodes.</summary>
    /// <param name="length">1, 10 or 100.</param>
    public DirectAsyncChain(int length)
        : base(BaselineNames.ChainName(length), BaselineNames.DirectAsync, MeasureKind.PerRun)
    {
        nodes = new Func<int, CancellationToken, ValueTask<int>>[length];
        Array.Fill(nodes, static (value, _) => new ValueTask<int>(value + 1));
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        for (var i = 0; i < iterations; i++)
        {
            Check(await InvokeAsync(0, cancellationToken).ConfigureAwait(false), nodes.Length);
        }
    }

    private async ValueTask<int> InvokeAsync(int input, CancellationToken cancellationToken)
    {
        var value = input;
        foreach (var node in nodes)
        {
            value = await node(value, cancellationToken).ConfigureAwait(false);
        }

        return value;
    }
}
