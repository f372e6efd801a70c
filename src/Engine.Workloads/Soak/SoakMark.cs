namespace Graph.Engine.Workloads.Soak;

/// <summary>One heap measurement of a soak.</summary>
/// <param name="Runs">Runs finished when the mark was taken (none was in flight).</param>
/// <param name="HeapBytes">The managed heap after a full collection.</param>
/// <param name="Elapsed">Time spent running so far (the marks' collections excluded).</param>
public sealed record SoakMark(long Runs, long HeapBytes, TimeSpan Elapsed);
