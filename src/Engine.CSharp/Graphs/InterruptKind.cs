namespace Graph.Engine.Graphs;

/// <summary>Why a run stopped for a human (or another system) to look at it.</summary>
public enum InterruptKind
{
    /// <summary>A node called <see cref="NodeContext.Interrupt{TResume}(object?)"/>.</summary>
    Dynamic,

    /// <summary>A node listed in <c>InterruptBefore</c> was about to run.</summary>
    Before,

    /// <summary>A node listed in <c>InterruptAfter</c> has run.</summary>
    After,

    /// <summary>A node called <see cref="NodeContext.SleepUntil"/> or <see cref="NodeContext.Delay"/>: the value is a <see cref="DurableTimer"/>.</summary>
    Timer,
}
