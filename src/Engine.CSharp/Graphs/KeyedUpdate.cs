using System.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>An immutable list of key writes returned by a node of a keyed-state graph.</summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class KeyedUpdate
{
    private readonly KeyValuePair<string, object?>[] writes;

    private KeyedUpdate(KeyValuePair<string, object?>[] writes) => this.writes = writes;

    /// <summary>An update with no writes.</summary>
    public static KeyedUpdate Empty { get; } = new([]);

    /// <summary>The writes in order; an <see cref="Graphs.Overwrite"/> value marks an overwrite.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Writes => writes;

    /// <summary>Creates an update with one write.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <returns>The update.</returns>
    public static KeyedUpdate Of(string key, object? value) => Empty.Set(key, value);

    /// <summary>Returns this update plus a write of <paramref name="value"/> to <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value (for a topic key, one item or a sequence of items).</param>
    /// <returns>The new update.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public KeyedUpdate Set(string key, object? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new([.. writes, new(key, value)]);
    }

    /// <summary>Returns this update plus an <see cref="Graphs.Overwrite"/> of <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The replacement value.</param>
    /// <returns>The new update.</returns>
    public KeyedUpdate Overwrite(string key, object? value) => Set(key, new Overwrite(value));

    /// <inheritdoc />
    public override string ToString() => "{" + string.Join(", ", writes.Select(w => $"{w.Key}={KeyedState.Format(w.Value)}")) + "}";
}
