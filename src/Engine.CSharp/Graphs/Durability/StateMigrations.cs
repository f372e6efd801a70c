using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>
/// Typed, chained state migrations (<c>V1 → V2 → V3</c>) applied when a thread written by an older graph is resumed:
/// the stored state is read as the oldest type, migrated step by step and continues as the resuming graph's state
/// type. Registering migrations (even none, <see cref="Empty"/>) also accepts resuming threads whose graph changed
/// in topology only. Immutable: <see cref="Add{TFrom, TTo}"/> returns a new set.
/// </summary>
public sealed class StateMigrations
{
    private readonly Dictionary<string, Step> steps;

    private StateMigrations(Dictionary<string, Step> steps)
    {
        this.steps = steps;
    }

    /// <summary>No migration: threads of older graphs resume if their state type is unchanged.</summary>
    public static StateMigrations Empty { get; } = new(new Dictionary<string, Step>(StringComparer.Ordinal));

    /// <summary>The number of registered steps.</summary>
    public int Count => steps.Count;

    /// <summary>A set with one more step, from <typeparamref name="TFrom"/> to <typeparamref name="TTo"/>.</summary>
    /// <typeparam name="TFrom">The older state type.</typeparam>
    /// <typeparam name="TTo">The newer state type.</typeparam>
    /// <param name="migrate">Turns an older state into a newer one.</param>
    /// <returns>The new set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="migrate"/> is null.</exception>
    /// <exception cref="ArgumentException">The types are the same, or a step from <typeparamref name="TFrom"/> is already registered.</exception>
    public StateMigrations Add<TFrom, TTo>(Func<TFrom, TTo> migrate)
    {
        ArgumentNullException.ThrowIfNull(migrate);
        var from = Checkpoint.StateTypeNameOf(typeof(TFrom));
        var to = Checkpoint.StateTypeNameOf(typeof(TTo));
        if (from == to)
        {
            throw new ArgumentException($"A state migration must change the type; got {from} -> {to}.", nameof(migrate));
        }

        if (steps.ContainsKey(from))
        {
            throw new ArgumentException($"A state migration from {from} is already registered (to {steps[from].To}).", nameof(migrate));
        }

        var copy = new Dictionary<string, Step>(steps, StringComparer.Ordinal)
        {
            [from] = new Step(to, (serializer, bytes) => CheckpointBuffers.Serialize(serializer, migrate(serializer.Deserialize<TFrom>(bytes.Span)))),
        };
        return new StateMigrations(copy);
    }

    /// <summary>The chain of type names from <paramref name="from"/> to <paramref name="to"/>, or null when none leads there.</summary>
    internal IReadOnlyList<string>? PathOf(string from, string to)
    {
        var path = new List<string> { from };
        var current = from;
        while (current != to)
        {
            if (!steps.TryGetValue(current, out var step) || path.Count > steps.Count)
            {
                return null;
            }

            current = step.To;
            path.Add(current);
        }

        return path;
    }

    /// <summary>Migrates serialized state along <paramref name="path"/> (from <see cref="PathOf"/>).</summary>
    internal byte[] Apply(ICheckpointSerializer serializer, IReadOnlyList<string> path, ReadOnlyMemory<byte> state)
    {
        var bytes = state.ToArray();
        for (var i = 0; i + 1 < path.Count; i++)
        {
            bytes = steps[path[i]].Migrate(serializer, bytes);
        }

        return bytes;
    }

    private sealed record Step(string To, Func<ICheckpointSerializer, ReadOnlyMemory<byte>, byte[]> Migrate);
}
