namespace Graph.Engine.Workloads.Registry;

/// <summary>A figure measured for a peer (such as LangGraph.js) on a machine of the same kind, from PERFORMANCE.md.</summary>
/// <param name="Peer">Who was measured, such as <c>LangGraph.js 1.2.0</c>.</param>
/// <param name="Value">The figure, in the unit of <paramref name="Kind"/>.</param>
/// <param name="Kind">What the figure is (us/run or runs/s).</param>
public sealed record PeerFigure(string Peer, double Value, MeasureKind Kind)
{
    /// <summary>The peer of PERFORMANCE.md's peer table.</summary>
    public const string LangGraphJs = "LangGraph.js 1.2.0";

    /// <summary>Gets the figure with its unit, such as <c>2,444 us/run</c>.</summary>
    public string Display => Measuring.Measurement.Format(Value, Kind);
}
