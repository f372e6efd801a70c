namespace Graph.Engine.Supervision;

/// <summary>When a supervisor shuts itself down because its significant children exited (OTP's <c>auto_shutdown</c>).</summary>
public enum AutoShutdown
{
    /// <summary>Never; significant children are then rejected.</summary>
    Never,

    /// <summary>
    /// As soon as any significant child exits on its own and is not restarted: a transient one that stops normally or
    /// is shut down, a temporary one that exits for any reason.
    /// </summary>
    AnySignificant,

    /// <summary>Once every significant child has exited on its own and is not restarted (the same rules as <see cref="AnySignificant"/>).</summary>
    AllSignificant,
}
