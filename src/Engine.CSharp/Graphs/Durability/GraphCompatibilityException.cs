namespace Graph.Engine.Graphs;

/// <summary>
/// A thread's checkpoint was written by a different graph (another fingerprint) and cannot be resumed by this one:
/// no <see cref="GraphCompileOptions.StateMigrations"/> are registered, none leads from the stored state type to this
/// graph's, or the checkpoint plans tasks on nodes this graph lacks. Nothing was written.
/// </summary>
public sealed class GraphCompatibilityException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="report">What differs.</param>
    /// <param name="reason">Why the differences prevent the resume.</param>
    public GraphCompatibilityException(GraphCompatibilityReport report, string reason)
        : base($"{reason}\n{report}")
    {
        ArgumentNullException.ThrowIfNull(report);
        Report = report;
    }

    /// <summary>What differs between the graph that wrote the checkpoint and the resuming graph.</summary>
    public GraphCompatibilityReport Report { get; }
}
