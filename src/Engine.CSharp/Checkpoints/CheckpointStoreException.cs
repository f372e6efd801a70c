namespace Graph.Engine.Checkpoints;

/// <summary>
/// A checkpoint could not be stored, found, read or deserialized: an id out of order, an unknown thread,
/// a file that is not a checkpoint store (or has an unknown schema version), or state of another type.
/// </summary>
public sealed class CheckpointStoreException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, naming the thread, checkpoint, file or type involved.</param>
    public CheckpointStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">What went wrong, naming the thread, checkpoint, file or type involved.</param>
    /// <param name="innerException">The underlying error.</param>
    public CheckpointStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
