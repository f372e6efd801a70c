namespace Graph.Engine.Supervision;

/// <summary>What a supervisor decides when one of its children fails.</summary>
public enum SupervisorDirective
{
    /// <summary>Keep the instance and its state; the failing message is dead-lettered and the next one is handled.</summary>
    Resume,

    /// <summary>Replace the instance with a fresh one from its factory; queued messages are kept.</summary>
    Restart,

    /// <summary>Stop the child; its queued messages are dead-lettered.</summary>
    Stop,

    /// <summary>The supervisor cannot handle the failure: it fails itself and its own supervisor decides.</summary>
    Escalate,
}
