using Graph.Engine.Actors;

namespace Graph.Engine.Supervision;

/// <summary>What a <see cref="SupervisorOptions.Decider"/> is told about a failure: one argument, so fields can be added later.</summary>
public readonly struct ChildFailure
{
    internal ChildFailure(string childId, ActorRef child, Exception exception, object? message)
    {
        ChildId = childId;
        Child = child;
        Exception = exception;
        Message = message;
    }

    /// <summary>The failing child's id in its spec.</summary>
    public string ChildId { get; }

    /// <summary>The failing child.</summary>
    public ActorRef Child { get; }

    /// <summary>What its handler threw.</summary>
    public Exception Exception { get; }

    /// <summary>The message it was handling (already dead-lettered).</summary>
    public object? Message { get; }
}
