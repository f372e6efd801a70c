using System.Collections;

namespace Graph.Engine.Graphs;

/// <summary>
/// Describes the keys of a <see cref="KeyedState"/> and reduces a step's <see cref="KeyedUpdate"/>s (its
/// <see cref="Reduce"/> method is a batch reducer for <see cref="StateGraph{TState, TUpdate}"/>). Immutable: each
/// method returns a new schema.
/// <list type="bullet">
/// <item><see cref="KeyKind.LastValue"/>: one write per step; two fail the run naming the key and the nodes.</item>
/// <item><see cref="KeyKind.Reducer"/>: writes folded with a binary operator in planned order.</item>
/// <item><see cref="KeyKind.Topic"/>: a list; by default it holds exactly the values written in the last step
/// (cleared at a barrier where nobody wrote it); with <c>accumulate</c> it keeps growing.</item>
/// <item><see cref="KeyKind.Ephemeral"/>: visible only to the step after the write, cleared at the next barrier.</item>
/// </list>
/// </summary>
public sealed class KeyedStateSchema
{
    private readonly KeyDefinition[] keys;

    /// <summary>Creates an empty schema.</summary>
    public KeyedStateSchema()
        : this([])
    {
    }

    private KeyedStateSchema(KeyDefinition[] keys) => this.keys = keys;

    /// <summary>The key names, in declaration order.</summary>
    public IReadOnlyList<string> Keys => [.. keys.Select(k => k.Name)];

    /// <summary>The kind of <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <returns>Its kind.</returns>
    /// <exception cref="KeyNotFoundException">No such key.</exception>
    public KeyKind KindOf(string key) => (Find(key) ?? throw new KeyNotFoundException($"The schema has no key '{key}'.")).Kind;

    /// <summary>Adds a last-value key.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The key.</param>
    /// <returns>The new schema.</returns>
    public KeyedStateSchema LastValue<T>(string key) => Add(new(key, KeyKind.LastValue, typeof(T), null, null, false));

    /// <summary>Adds a reducer key.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="reducer">Folds a write into the value, e.g. <see cref="Reducers.Sum{T}"/>.</param>
    /// <param name="initial">The value before the first write.</param>
    /// <returns>The new schema.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reducer"/> is null.</exception>
    public KeyedStateSchema Reducer<T>(string key, Func<T, T, T> reducer, T initial)
    {
        ArgumentNullException.ThrowIfNull(reducer);
        return Add(new(key, KeyKind.Reducer, typeof(T), initial, (a, b) => reducer((T)a!, (T)b!), false));
    }

    /// <summary>Adds a topic key: a list of <typeparamref name="T"/>; a write is one item or a sequence of items.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="accumulate">False (default): the list holds the last step's writes only. True: it keeps every write.</param>
    /// <returns>The new schema.</returns>
    public KeyedStateSchema Topic<T>(string key, bool accumulate = false) =>
        Add(new(key, KeyKind.Topic, typeof(T), Array.Empty<T>(), null, accumulate));

    /// <summary>Adds an ephemeral key.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The key.</param>
    /// <returns>The new schema.</returns>
    public KeyedStateSchema Ephemeral<T>(string key) => Add(new(key, KeyKind.Ephemeral, typeof(T), null, null, false));

    /// <summary>Creates a state where no key holds a value (reads return initial values).</summary>
    /// <returns>The state.</returns>
    public KeyedState CreateState() => new(this, new Dictionary<string, object?>(StringComparer.Ordinal));

    /// <summary>Creates a graph builder over this schema (<see cref="Reduce"/> as its reducer).</summary>
    /// <returns>The builder.</returns>
    public StateGraph<KeyedState, KeyedUpdate> CreateGraph() => new(Reduce);

    /// <summary>Applies one step's updates (in planned order) to <paramref name="state"/>, enforcing each key's rules.</summary>
    /// <param name="state">The state before the step.</param>
    /// <param name="updates">The step's updates.</param>
    /// <returns>The state after the step.</returns>
    /// <exception cref="InvalidUpdateException">A rule was broken (conflicting writes, unknown key, wrong type).</exception>
    public KeyedState Reduce(KeyedState state, IReadOnlyList<NodeUpdate<KeyedUpdate>> updates)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(updates);
        var byKey = new Dictionary<string, List<(string Node, object? Value)>>(StringComparer.Ordinal);
        var step = updates.Count > 0 ? updates[0].Step : 0;
        foreach (var u in updates)
        {
            foreach (var (key, value) in u.Update?.Writes ?? [])
            {
                if (Find(key) is null)
                {
                    throw new InvalidUpdateException(key, [u.Node], $"Node '{u.Node}' wrote unknown key '{key}' in step {u.Step}; keys: [{string.Join(", ", Keys)}].");
                }

                if (!byKey.TryGetValue(key, out var list))
                {
                    byKey[key] = list = [];
                }

                list.Add((u.Node, value));
            }
        }

        var values = new Dictionary<string, object?>(state.Values.Count + byKey.Count, StringComparer.Ordinal);
        foreach (var (k, v) in state.Values)
        {
            values[k] = v;
        }

        foreach (var def in keys)
        {
            var writes = byKey.GetValueOrDefault(def.Name);
            if (writes is null)
            {
                if (def.Kind == KeyKind.Ephemeral || (def.Kind == KeyKind.Topic && !def.Accumulate))
                {
                    values.Remove(def.Name);
                }

                continue;
            }

            var overwrites = writes.Where(w => w.Value is Overwrite).ToList();
            if (overwrites.Count > 1)
            {
                throw Conflict(def, step, overwrites, "received {0} Overwrite writes in step {1} (from {2}); only one is allowed per step.");
            }

            if (def.Kind is KeyKind.LastValue or KeyKind.Ephemeral && writes.Count > 1)
            {
                var kind = def.Kind == KeyKind.LastValue ? "a last-value" : "an ephemeral";
                throw Conflict(def, step, writes, $"is {kind} key and received {{0}} writes in step {{1}} (from {{2}}); use a reducer or topic key to accept several.");
            }

            if (overwrites.Count == 1)
            {
                var (node, value) = overwrites[0];
                var replacement = ((Overwrite)value!).Value;
                values[def.Name] = def.Kind == KeyKind.Topic ? def.ToList(def.Items(replacement, node)) : def.Check(replacement, node);
                continue;
            }

            switch (def.Kind)
            {
                case KeyKind.LastValue:
                case KeyKind.Ephemeral:
                    values[def.Name] = def.Check(writes[0].Value, writes[0].Node);
                    break;
                case KeyKind.Reducer:
                    var acc = values.TryGetValue(def.Name, out var current) ? current : def.Initial;
                    foreach (var (node, value) in writes)
                    {
                        acc = def.Op!(acc, def.Check(value, node));
                    }

                    values[def.Name] = acc;
                    break;
                case KeyKind.Topic:
                    var items = new List<object?>();
                    if (def.Accumulate && values.TryGetValue(def.Name, out var existing))
                    {
                        items.AddRange(((IEnumerable)existing!).Cast<object?>());
                    }

                    foreach (var (node, value) in writes)
                    {
                        items.AddRange(def.Items(value, node));
                    }

                    values[def.Name] = def.ToList(items);
                    break;
            }
        }

        return new KeyedState(this, values);
    }

    internal KeyDefinition? Find(string key)
    {
        foreach (var k in keys)
        {
            if (string.Equals(k.Name, key, StringComparison.Ordinal))
            {
                return k;
            }
        }

        return null;
    }

    private static InvalidUpdateException Conflict(KeyDefinition def, int step, List<(string Node, object? Value)> writes, string format)
    {
        var nodes = writes.Select(w => w.Node).ToList();
        var names = string.Join(", ", nodes.Select(n => $"'{n}'"));
        return new InvalidUpdateException(def.Name, nodes, $"Key '{def.Name}' " + string.Format(System.Globalization.CultureInfo.InvariantCulture, format, writes.Count, step, names));
    }

    private KeyedStateSchema Add(KeyDefinition def)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(def.Name);
        if (Find(def.Name) is not null)
        {
            throw new ArgumentException($"The schema already has a key '{def.Name}'.", nameof(def));
        }

        return new([.. keys, def]);
    }

    internal sealed class KeyDefinition(string name, KeyKind kind, Type type, object? initial, Func<object?, object?, object?>? op, bool accumulate)
    {
        public string Name { get; } = name;

        public KeyKind Kind { get; } = kind;

        public Type Type { get; } = type;

        public object? Initial { get; } = initial;

        public Func<object?, object?, object?>? Op { get; } = op;

        public bool Accumulate { get; } = accumulate;

        public object? Check(object? value, string node)
        {
            var ok = value is null ? !Type.IsValueType || Nullable.GetUnderlyingType(Type) is not null : Type.IsInstanceOfType(value);
            return ok
                ? value
                : throw new InvalidUpdateException(Name, [node], $"Node '{node}' wrote a {value?.GetType().Name ?? "null"} to key '{Name}', which holds {Type.Name}.");
        }

        public IEnumerable<object?> Items(object? value, string node)
        {
            if (value is not null && Type.IsInstanceOfType(value))
            {
                return [value];
            }

            if (value is IEnumerable e and not string)
            {
                return e.Cast<object?>().Select(v => Check(v, node)).ToList();
            }

            return [Check(value, node)];
        }

        public object ToList(IEnumerable<object?> items)
        {
            var list = items.ToList();
            var array = Array.CreateInstance(Type, list.Count);
            for (var i = 0; i < list.Count; i++)
            {
                array.SetValue(list[i], i);
            }

            return array;
        }
    }
}
