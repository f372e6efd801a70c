namespace Graph.Engine.Graphs;

/// <summary>
/// A keyed-state write that bypasses the key's reducer: the value replaces the key's value (for a topic key, its list).
/// When a step has an overwrite for a key, the key's other writes in that step are ignored; two overwrites of one key
/// in one step fail the run. Write it with <see cref="KeyedUpdate.Overwrite(string, object?)"/>.
/// </summary>
/// <param name="Value">The replacement value.</param>
public sealed record Overwrite(object? Value);
