namespace Graph.Engine.Workloads.Scale;

/// <summary>chain10 at one level of concurrency: the engine and the hand-wired chain, measured in the same process.</summary>
/// <param name="ConcurrentRuns">Runs started at once per iteration and awaited together.</param>
/// <param name="Engine">The engine's figures (runs/s and bytes per run).</param>
/// <param name="HandWired">The hand-wired <c>ActionBlock</c> chain's figures (unbounded, <c>Post</c>).</param>
public sealed record ScalePoint(int ConcurrentRuns, Measuring.Measurement Engine, Measuring.Measurement HandWired)
{
    /// <summary>Gets the engine's runs/s divided by the hand-wired chain's.</summary>
    public double Ratio => Engine.OperationsPerSecond / HandWired.OperationsPerSecond;
}
