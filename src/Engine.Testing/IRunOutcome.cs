namespace Graph.Engine.Testing;

/// <summary>How a recorded run ended, whatever its state type (see <see cref="RunAssertions.ShouldFailWith{TException}"/>).</summary>
public interface IRunOutcome
{
    /// <summary>How the run failed, was cancelled or interrupted; null when it finished.</summary>
    Exception? Error { get; }
}
