using System.Security.Cryptography;
using System.Text;
using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>
/// The identity of a compiled graph as its checkpoints record it: a hash over the state and update types, the nodes
/// (name, kind, argument type), the edges, the routers' declared targets and the joins; plus the node names and the
/// update type, so a later graph can say what changed. Kept in every checkpoint's metadata properties.
/// </summary>
internal sealed class GraphFingerprint
{
    /// <summary>The metadata property holding <see cref="Hash"/>.</summary>
    public const string HashKey = "graph";

    /// <summary>The metadata property holding the node names, one per line.</summary>
    public const string NodesKey = "graph.nodes";

    /// <summary>The metadata property holding the update type's name.</summary>
    public const string UpdateKey = "graph.update";

    private GraphFingerprint(string hash, string stateType, string updateType, IReadOnlyList<string> nodes)
    {
        Hash = hash;
        StateType = stateType;
        UpdateType = updateType;
        Nodes = nodes;
    }

    /// <summary>32 hexadecimal digits (the first 128 bits of a SHA-256).</summary>
    public string Hash { get; }

    public string StateType { get; }

    public string UpdateType { get; }

    /// <summary>The node names, in ordinal order.</summary>
    public IReadOnlyList<string> Nodes { get; }

    public static GraphFingerprint Of<TState, TUpdate>(GraphModel<TState, TUpdate> model)
    {
        var stateType = Checkpoint.StateTypeNameOf(typeof(TState));
        var updateType = Checkpoint.StateTypeNameOf(typeof(TUpdate));
        var nodes = model.Nodes.Select(n => n.Name).Order(StringComparer.Ordinal).ToArray();
        var text = new StringBuilder()
            .Append("state ").Append(stateType).Append('\n')
            .Append("update ").Append(updateType).Append('\n');
        foreach (var node in model.Nodes.OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            text.Append("node ").Append(node.Name).Append(' ').Append(node.Kind)
                .Append(' ').Append(node.ArgumentType is { } argument ? Checkpoint.StateTypeNameOf(argument) : "-").Append('\n');
        }

        foreach (var line in model.Edges.Select(e => $"edge {e.From} {e.To}")
            .Concat(model.Conditionals.Select(c => $"router {c.Source} {string.Join(',', c.Targets)}"))
            .Concat(model.Joins.Select(j => $"join {string.Join(',', j.Sources)} {j.Target}"))
            .Order(StringComparer.Ordinal))
        {
            text.Append(line).Append('\n');
        }

        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 16));
        return new GraphFingerprint(hash, stateType, updateType, nodes);
    }

    /// <summary>The fingerprint a checkpoint recorded, or null for a checkpoint written before fingerprints were recorded.</summary>
    public static GraphFingerprint? Read(Checkpoint checkpoint)
    {
        var properties = checkpoint.Metadata.Properties;
        if (!properties.TryGetValue(HashKey, out var hash))
        {
            return null;
        }

        var nodes = properties.TryGetValue(NodesKey, out var names) && names.Length > 0 ? names.Split('\n') : [];
        return new GraphFingerprint(hash, checkpoint.StateType, properties.GetValueOrDefault(UpdateKey, "?"), nodes);
    }

    /// <summary><paramref name="properties"/> with this fingerprint's entries set.</summary>
    public Dictionary<string, string> AddTo(IReadOnlyDictionary<string, string> properties) =>
        new(properties, StringComparer.Ordinal)
        {
            [HashKey] = Hash,
            [NodesKey] = string.Join('\n', Nodes),
            [UpdateKey] = UpdateType,
        };
}
