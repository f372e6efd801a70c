namespace Graph.Engine.Testing;

/// <summary>A deterministic run cannot go on: nothing is ready, no timer is armed and no work arrives, or it ran too long.</summary>
public sealed class SimulationStuckException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SimulationStuckException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is stuck, with the seed.</param>
    public SimulationStuckException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is stuck, with the seed.</param>
    /// <param name="innerException">The cause.</param>
    public SimulationStuckException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
