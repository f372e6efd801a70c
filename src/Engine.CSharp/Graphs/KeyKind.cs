namespace Graph.Engine.Graphs;

/// <summary>How a key of a <see cref="KeyedStateSchema"/> combines the writes of one step.</summary>
public enum KeyKind
{
    /// <summary>Holds the last value written; two writes in one step fail the run with <see cref="InvalidUpdateException"/>.</summary>
    LastValue,

    /// <summary>Folds every write of the step into the value with a binary operator, in planned order.</summary>
    Reducer,

    /// <summary>A list: the values written in a step (clearing at each step unless accumulating).</summary>
    Topic,

    /// <summary>Holds a value only for the step after the one that wrote it; then it is cleared. One write per step.</summary>
    Ephemeral,
}
