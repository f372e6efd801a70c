using Graph.Engine.Actors;

namespace Graph.Engine.Supervision;

/// <summary>One child spec and its current actor. Written only by its supervisor's loop; <see cref="Ref"/> and <see cref="Supervisor"/> are read by outside readers too.</summary>
internal sealed class ChildEntry(ChildSpec spec)
{
    private volatile ActorRef? _ref;
    private volatile Supervisor? _supervisor;

    public ChildSpec Spec { get; } = spec;

    public string Id => Spec.Id;

    /// <summary>The running actor, or null while the child is not running.</summary>
    public ActorRef? Ref
    {
        get => _ref;
        set => _ref = value;
    }

    /// <summary>The running child's supervisor handle, when it is a supervisor.</summary>
    public Supervisor? Supervisor
    {
        get => _supervisor;
        set => _supervisor = value;
    }

    /// <summary>The supervisor decided Stop for a failure: the coming exit is not restarted.</summary>
    public bool ExpectedStop { get; set; }

    /// <summary>Waiting for a restart delay before a re-spawn.</summary>
    public bool Restarting { get; set; }

    public int Attempt { get; set; }

    public long? LastRestart { get; set; }
}
