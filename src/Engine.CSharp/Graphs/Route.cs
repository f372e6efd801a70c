using System.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>
/// Where execution goes next, as returned by a router or carried by a <see cref="Command{TUpdate}"/>:
/// nothing (<see cref="End"/>), one node, several nodes (run in parallel in the next step) and/or <see cref="Send"/>s.
/// A string converts implicitly to a one-node route.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public readonly struct Route : IEquatable<Route>
{
    private static readonly string[] EndTargets = [StateGraph.End];

    private readonly string? single;
    private readonly string[]? many;
    private readonly Send[]? sends;
    private readonly bool fromNull;

    private Route(string? single, string[]? many, Send[]? sends, bool fromNull = false)
    {
        this.single = single;
        this.many = many;
        this.sends = sends;
        this.fromNull = fromNull;
    }

    /// <summary>The route to <see cref="StateGraph.End"/>: this branch stops here.</summary>
    public static Route End => new(null, EndTargets, null);

    /// <summary>The node targets of this route (may contain <see cref="StateGraph.End"/>), in order.</summary>
    public IReadOnlyList<string> Targets => single is not null ? [single] : (many ?? []);

    /// <summary>The sends of this route, in send order.</summary>
    public IReadOnlyList<Send> SendList => sends ?? [];

    internal int TargetCount => single is not null ? 1 : many?.Length ?? 0;

    internal string TargetAt(int index) => single ?? many![index];

    internal Send[]? RawSends => sends;

    /// <summary>Whether this route came from a null node name (a router that returned null): a run fails on it.</summary>
    internal bool IsFromNull => fromNull;

    /// <summary>Whether this is <c>default(Route)</c> (or null): no target and no send list, not even an empty one.</summary>
    internal bool IsDefault => single is null && many is null && sends is null;

    /// <summary>A route to one node.</summary>
    /// <param name="node">The node (or <see cref="StateGraph.End"/>).</param>
    /// <returns>The route.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="node"/> is null.</exception>
    public static Route To(string node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new(node, null, null);
    }

    /// <summary>A route to several nodes, all run in the next step.</summary>
    /// <param name="nodes">The nodes.</param>
    /// <returns>The route.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="nodes"/> or one of its items is null.</exception>
    public static Route To(params string[] nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        foreach (var n in nodes)
        {
            ArgumentNullException.ThrowIfNull(n, nameof(nodes));
        }

        return nodes.Length == 1 ? new(nodes[0], null, null) : new(null, (string[])nodes.Clone(), null);
    }

    /// <summary>A route that runs one task per send in the next step (dynamic fan-out).</summary>
    /// <param name="sends">The sends, in send order.</param>
    /// <returns>The route.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sends"/> or one of its items is null.</exception>
    public static Route Sends(params Send[] sends)
    {
        ArgumentNullException.ThrowIfNull(sends);
        foreach (var s in sends)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(sends));
        }

        return new(null, null, (Send[])sends.Clone());
    }

    /// <summary>A route that runs one task per send in the next step (dynamic fan-out).</summary>
    /// <param name="sends">The sends, in send order.</param>
    /// <returns>The route.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sends"/> is null.</exception>
    public static Route Sends(IEnumerable<Send> sends)
    {
        ArgumentNullException.ThrowIfNull(sends);
        return Sends([.. sends]);
    }

    /// <summary>Returns this route plus <paramref name="other"/>'s targets and sends.</summary>
    /// <param name="other">The route to add.</param>
    /// <returns>The combined route.</returns>
    public Route And(Route other)
    {
        string[] targets = [.. Targets, .. other.Targets];
        Send[] allSends = [.. SendList, .. other.SendList];
        return new(null, targets.Length == 0 ? null : targets, allSends.Length == 0 ? null : allSends);
    }

    /// <summary>
    /// Converts a node name to a one-node route. A null name (a router that returned null) converts to a route a
    /// run rejects with <see cref="InvalidRouteException"/> naming the router's node and step.
    /// </summary>
    /// <param name="node">The node.</param>
    public static implicit operator Route(string? node) => node is null ? new(null, null, null, fromNull: true) : To(node);

    /// <summary>Converts a send to a one-send route.</summary>
    /// <param name="send">The send.</param>
    public static implicit operator Route(Send send) => Sends(send);

    /// <inheritdoc />
    public bool Equals(Route other) =>
        Targets.SequenceEqual(other.Targets) && SendList.SequenceEqual(other.SendList);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Route r && Equals(r);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(TargetCount, SendList.Count, TargetCount > 0 ? TargetAt(0) : null);

    /// <summary>Compares two routes by targets and sends.</summary>
    /// <param name="left">The first route.</param>
    /// <param name="right">The second route.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(Route left, Route right) => left.Equals(right);

    /// <summary>Compares two routes by targets and sends.</summary>
    /// <param name="left">The first route.</param>
    /// <param name="right">The second route.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(Route left, Route right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString()
    {
        var parts = Targets.Concat(SendList.Select(s => $"Send({s.Node})"));
        var text = string.Join(", ", parts);
        return text.Length == 0 ? "(nothing)" : text;
    }
}
