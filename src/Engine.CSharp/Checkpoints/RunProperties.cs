using System.Collections;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Graph.Engine.Checkpoints;

/// <summary>
/// The metadata properties of every checkpoint one run writes: its run id and the entries that every checkpoint of
/// the compiled graph records (its fingerprint), as one small immutable object per run. The shared entries are built
/// once per graph, so a kept run holds no dictionary, entry array or string of its own; a generated run id is held as
/// its number and made text when first read (<see cref="Graph.Engine.Graphs.RunIds.Format"/>).
/// </summary>
[DebuggerDisplay("run {RunId}, {Count} properties")]
internal sealed class RunProperties : IReadOnlyDictionary<string, string>, ISharedEntries
{
    /// <summary>The property that holds the run id.</summary>
    public const string RunIdKey = "run_id";

    private readonly long runNumber;
    private readonly KeyValuePair<string, string>[] shared;
    private string? runId;

    /// <summary>Creates the properties of a run whose id is <paramref name="runId"/>, or when null generated run id number <paramref name="runNumber"/>.</summary>
    /// <param name="runId">The run's id, or null for a generated one.</param>
    /// <param name="runNumber">The generated id's number (<see cref="Graph.Engine.Graphs.RunIds.NextNumber"/>) when <paramref name="runId"/> is null.</param>
    /// <param name="shared">The graph's own entries (never <see cref="RunIdKey"/>), shared by every run; not copied.</param>
    public RunProperties(string? runId, long runNumber, KeyValuePair<string, string>[] shared)
    {
        Debug.Assert(Array.TrueForAll(shared, entry => entry.Key != RunIdKey), "The run id is the run's own entry.");
        Debug.Assert(runId is not null || runNumber != 0, "A run id or its number.");
        this.runId = runId;
        this.runNumber = runId is null ? runNumber : 0;
        this.shared = shared;
    }

    /// <summary>
    /// The generated run id's number, or 0 when the run was given its id. When it is not 0 these properties equal
    /// <c>new RunProperties(null, GeneratedNumber, Shared)</c>, so a store may keep the number (the shared array is the
    /// graph's) instead of this object.
    /// </summary>
    public long GeneratedNumber => runNumber;

    /// <inheritdoc/>
    public KeyValuePair<string, string>[] Shared => shared;

    /// <summary>The run id (made from its number on first read; two racing reads make equal text).</summary>
    private string RunId => runId ??= Graph.Engine.Graphs.RunIds.Format(runNumber);

    public int Count => shared.Length + 1;

    public IEnumerable<string> Keys => this.Select(entry => entry.Key);

    public IEnumerable<string> Values => this.Select(entry => entry.Value);

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The run's checkpoint metadata has no property '{key}'.");

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key == RunIdKey)
        {
            value = RunId;
            return true;
        }

        foreach (var entry in shared)
        {
            if (entry.Key == key)
            {
                value = entry.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        yield return new KeyValuePair<string, string>(RunIdKey, RunId);
        foreach (var entry in shared)
        {
            yield return entry;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
