using System.Collections;
using System.Diagnostics;
using System.Globalization;

namespace Graph.Engine.Graphs;

/// <summary>
/// An immutable LangGraph-style state: values by key, as described by a <see cref="KeyedStateSchema"/>.
/// Create the input with <see cref="KeyedStateSchema.CreateState"/> and <see cref="With"/>.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class KeyedState
{
    private readonly Dictionary<string, object?> values;

    internal KeyedState(KeyedStateSchema schema, Dictionary<string, object?> values)
    {
        Schema = schema;
        this.values = values;
    }

    /// <summary>The schema.</summary>
    public KeyedStateSchema Schema { get; }

    /// <summary>The keys that hold a value, with their values.</summary>
    public IReadOnlyDictionary<string, object?> Values => values;

    /// <summary>Whether <paramref name="key"/> holds a value (an unwritten last-value key or a cleared ephemeral key does not).</summary>
    /// <param name="key">The key.</param>
    /// <returns>Whether it holds a value.</returns>
    public bool Contains(string key) => values.ContainsKey(key);

    /// <summary>Reads a key: its value, or its initial value when it holds none (a topic key reads as a list).</summary>
    /// <typeparam name="T">The value type (for a topic key, <c>IReadOnlyList&lt;TItem&gt;</c>).</typeparam>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">The schema has no such key.</exception>
    /// <exception cref="InvalidCastException">The value is not a <typeparamref name="T"/>.</exception>
    public T Get<T>(string key)
    {
        var def = Schema.Find(key) ?? throw new KeyNotFoundException($"The schema has no key '{key}'; keys: [{string.Join(", ", Schema.Keys)}].");
        var value = values.TryGetValue(key, out var v) ? v : def.Initial;
        return value is T t ? t : value is null ? default! : throw new InvalidCastException($"Key '{key}' holds a {value.GetType().Name}, not a {typeof(T).Name}.");
    }

    /// <summary>Returns a copy with <paramref name="key"/> set to <paramref name="value"/> (no reducer; for inputs).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value (for a topic key, a sequence of items).</param>
    /// <returns>The new state.</returns>
    /// <exception cref="KeyNotFoundException">The schema has no such key.</exception>
    /// <exception cref="ArgumentException">The value has the wrong type.</exception>
    public KeyedState With(string key, object? value)
    {
        var def = Schema.Find(key) ?? throw new KeyNotFoundException($"The schema has no key '{key}'; keys: [{string.Join(", ", Schema.Keys)}].");
        var copy = new Dictionary<string, object?>(values, StringComparer.Ordinal)
        {
            [key] = def.Kind == KeyKind.Topic ? def.ToList(def.Items(value, "input")) : def.Check(value, "input"),
        };
        return new KeyedState(Schema, copy);
    }

    /// <summary>The values that are set, sorted by key, e.g. <c>{a=1, b=[x, y]}</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        "{" + string.Join(", ", values.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={Format(kv.Value)}")) + "}";

    internal static string Format(object? value) => value switch
    {
        null => "null",
        string s => s,
        Overwrite o => $"Overwrite({Format(o.Value)})",
        IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(Format)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
