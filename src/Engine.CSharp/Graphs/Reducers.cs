using System.Numerics;

namespace Graph.Engine.Graphs;

/// <summary>Common per-update reducers for <see cref="StateGraph{TState, TUpdate}"/> and keyed-state reducer keys.</summary>
public static class Reducers
{
    /// <summary>The update replaces the state (last write in planned order wins).</summary>
    /// <typeparam name="T">The state type.</typeparam>
    /// <returns>The reducer.</returns>
    public static Func<T, T, T> Replace<T>() => static (_, update) => update;

    /// <summary>The update's items are appended to the state's list (a new list; inputs are not modified).</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <returns>The reducer.</returns>
    public static Func<IReadOnlyList<T>, IReadOnlyList<T>, IReadOnlyList<T>> Append<T>() =>
        static (state, update) => update.Count == 0 ? state : (state.Count == 0 ? update : [.. state, .. update]);

    /// <summary>The update is added to the state.</summary>
    /// <typeparam name="T">A numeric type.</typeparam>
    /// <returns>The reducer.</returns>
    public static Func<T, T, T> Sum<T>()
        where T : IAdditionOperators<T, T, T> => static (state, update) => state + update;

    /// <summary>The update's entries are merged into the state's dictionary; the update wins on equal keys (a new dictionary).</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TValue">The value type.</typeparam>
    /// <returns>The reducer.</returns>
    public static Func<IReadOnlyDictionary<TKey, TValue>, IReadOnlyDictionary<TKey, TValue>, IReadOnlyDictionary<TKey, TValue>> Merge<TKey, TValue>()
        where TKey : notnull =>
        static (state, update) =>
        {
            if (update.Count == 0)
            {
                return state;
            }

            var merged = new Dictionary<TKey, TValue>(state.Count + update.Count);
            foreach (var (k, v) in state)
            {
                merged[k] = v;
            }

            foreach (var (k, v) in update)
            {
                merged[k] = v;
            }

            return merged;
        };
}
