namespace Graph.Engine.Graphs;

/// <summary>Thrown (under <see cref="JoinSkippedPolicy.Fail"/>) when a run ends while a join has seen only some of its sources.</summary>
public sealed class JoinSkippedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JoinSkippedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public JoinSkippedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public JoinSkippedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal JoinSkippedException(IReadOnlyList<JoinSkippedEvent> skipped)
        : base(string.Join(" ", skipped.Select(s =>
            $"The run ended but join into '{s.Target}' never fired: [{string.Join(", ", s.FinishedSources)}] finished, [{string.Join(", ", s.MissingSources)}] did not run.")) +
            " Set GraphCompileOptions.JoinSkipped = JoinSkippedPolicy.Warn if this is intended.")
    {
        Skipped = skipped;
    }

    /// <summary>The joins that were left partially satisfied.</summary>
    public IReadOnlyList<JoinSkippedEvent> Skipped { get; } = [];
}
