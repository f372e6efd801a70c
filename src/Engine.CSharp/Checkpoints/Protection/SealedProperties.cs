using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Graph.Engine.Checkpoints;

/// <summary>
/// The metadata properties of a sealed checkpoint: its run's properties and the seal. The run's shared entries stay
/// visible as such (<see cref="ISharedEntries"/>), so a store under <see cref="ProtectedCheckpointer"/> still keeps the
/// graph's fingerprint once; the seal is an entry of the checkpoint's own.
/// </summary>
internal sealed class SealedProperties(IReadOnlyDictionary<string, string> run, KeyValuePair<string, string>[] shared, string seal)
    : IReadOnlyDictionary<string, string>, ISharedEntries
{
    /// <summary>
    /// <paramref name="properties"/> with the seal <paramref name="seal"/> under <see cref="CheckpointSeal.Property"/>:
    /// a <see cref="SealedProperties"/> when they have shared entries and no seal yet, otherwise a dictionary.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Of(IReadOnlyDictionary<string, string> properties, string seal) =>
        properties is ISharedEntries { Shared.Length: > 0 } source && !properties.ContainsKey(CheckpointSeal.Property)
            ? new SealedProperties(properties, source.Shared, seal)
            : new Dictionary<string, string>(properties, StringComparer.Ordinal) { [CheckpointSeal.Property] = seal };

    public KeyValuePair<string, string>[] Shared => shared;

    public int Count => run.Count + 1;

    public IEnumerable<string> Keys => this.Select(entry => entry.Key);

    public IEnumerable<string> Values => this.Select(entry => entry.Value);

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The checkpoint's metadata has no property '{key}'.");

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key == CheckpointSeal.Property)
        {
            value = seal;
            return true;
        }

        return run.TryGetValue(key, out value);
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        foreach (var entry in run)
        {
            yield return entry;
        }

        yield return new KeyValuePair<string, string>(CheckpointSeal.Property, seal);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
