namespace Graph.Engine.Actors;

/// <summary>
/// What a failed actor does next, as its <see cref="IChildFailureHandler"/> decided. The actor layer's own
/// vocabulary: the supervision layer above maps its directives onto it, so the actor core depends on nothing above it.
/// </summary>
internal enum ChildFailureDirective
{
    /// <summary>Keep the instance and go on with the next message.</summary>
    Resume,

    /// <summary>Replace the instance in place, keeping the mailbox.</summary>
    Restart,

    /// <summary>Stop as faulted; the queue is dead-lettered.</summary>
    Stop,
}
