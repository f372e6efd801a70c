namespace Graph.Engine.Supervision;

/// <summary>Which children a supervisor restarts when one of them must be restarted (OTP's restart strategies).</summary>
public enum SupervisionStrategy
{
    /// <summary>Only the child that exited is restarted.</summary>
    OneForOne,

    /// <summary>All other children are terminated in reverse start order, then all are restarted in start order.</summary>
    OneForAll,

    /// <summary>The children started after the one that exited are terminated (reverse order), then it and they are restarted in start order.</summary>
    RestForOne,
}
