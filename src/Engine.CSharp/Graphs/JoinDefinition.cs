namespace Graph.Engine.Graphs;

/// <summary>A join: <see cref="Target"/> runs once every source has finished since the join last fired.</summary>
internal sealed class JoinDefinition
{
    public const int MaxSources = 64;

    public JoinDefinition(string[] sources, string target)
    {
        Sources = sources;
        Target = target;
        FullMask = sources.Length == 64 ? ulong.MaxValue : (1UL << sources.Length) - 1;
    }

    public string[] Sources { get; }

    public string Target { get; }

    public int TargetIndex { get; set; } = -1;

    public ulong FullMask { get; }

    public string Describe() => $"[{string.Join(", ", Sources)}] -> '{Target}'";
}
