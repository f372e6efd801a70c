namespace Graph.Engine.Actors;

/// <summary>The fault of an actor that exited abnormally with a custom reason (<see cref="ExitReason.Abnormal"/>).</summary>
public sealed class ActorExitException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The actor's path.</param>
    /// <param name="term">The reason it gave.</param>
    public ActorExitException(string path, object term)
        : base($"Actor '{path}' exited abnormally: {term}")
    {
        Path = path;
        Term = term;
    }

    /// <summary>The actor's path.</summary>
    public string Path { get; }

    /// <summary>The reason it gave.</summary>
    public object Term { get; }
}
