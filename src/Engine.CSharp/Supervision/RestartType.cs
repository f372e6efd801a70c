namespace Graph.Engine.Supervision;

/// <summary>When a child is restarted after it exits (OTP's restart types).</summary>
public enum RestartType
{
    /// <summary>Always restarted, whatever the exit (normal, shutdown or failure).</summary>
    Permanent,

    /// <summary>Restarted only after an abnormal exit (a failure); a normal stop or a shutdown request is not restarted.</summary>
    Transient,

    /// <summary>Never restarted, not even when it is terminated because a sibling failed; its spec is deleted when it exits.</summary>
    Temporary,
}
