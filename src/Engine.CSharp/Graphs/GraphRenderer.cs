using System.Text;

namespace Graph.Engine.Graphs;

/// <summary>
/// Draws a graph as Mermaid or DOT, deterministically: START, nodes in insertion order, END; then plain edges
/// (solid), router targets and command destinations (dashed), and joins (thick), each in insertion order.
/// </summary>
internal static class GraphRenderer
{
    public static string ToMermaid<TState, TUpdate>(
        IReadOnlyList<NodeDefinition<TState, TUpdate>> nodes,
        IReadOnlyList<(string From, string To)> edges,
        IReadOnlyList<ConditionalEdge<TState>> conditionals,
        IReadOnlyList<JoinDefinition> joins)
    {
        var ids = Ids(nodes);
        string Id(string name) => ids.TryGetValue(name, out var id) ? id : name;
        var sb = new StringBuilder();
        sb.Append("flowchart TD\n");
        sb.Append("    ").Append(StateGraph.Start).Append("([").Append(StateGraph.Start).Append("])\n");
        foreach (var n in Distinct(nodes))
        {
            var label = Escape(n.Name) + (n.Kind == NodeKind.Subgraph ? " (subgraph)" : string.Empty);
            var (open, close) = n.Kind == NodeKind.Worker ? ("[[\"", "\"]]") : ("[\"", "\"]");
            sb.Append("    ").Append(Id(n.Name)).Append(open).Append(label).Append(close).Append('\n');
        }

        sb.Append("    ").Append(StateGraph.End).Append("([").Append(StateGraph.End).Append("])\n");
        foreach (var (from, to, style) in Connections(nodes, edges, conditionals, joins))
        {
            var arrow = style switch { EdgeStyle.Conditional => " -.-> ", EdgeStyle.Join => " ==> ", _ => " --> " };
            sb.Append("    ").Append(Id(from)).Append(arrow).Append(Id(to)).Append('\n');
        }

        return sb.ToString();
    }

    public static string ToDot<TState, TUpdate>(
        IReadOnlyList<NodeDefinition<TState, TUpdate>> nodes,
        IReadOnlyList<(string From, string To)> edges,
        IReadOnlyList<ConditionalEdge<TState>> conditionals,
        IReadOnlyList<JoinDefinition> joins)
    {
        static string Q(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        var sb = new StringBuilder();
        sb.Append("digraph {\n");
        sb.Append("    ").Append(Q(StateGraph.Start)).Append(" [shape=oval];\n");
        foreach (var n in Distinct(nodes))
        {
            var shape = n.Kind switch { NodeKind.Worker => "box, peripheries=2", NodeKind.Subgraph => "box3d", _ => "box" };
            sb.Append("    ").Append(Q(n.Name)).Append(" [shape=").Append(shape).Append("];\n");
        }

        sb.Append("    ").Append(Q(StateGraph.End)).Append(" [shape=oval];\n");
        foreach (var (from, to, style) in Connections(nodes, edges, conditionals, joins))
        {
            var attr = style switch { EdgeStyle.Conditional => " [style=dashed]", EdgeStyle.Join => " [style=bold]", _ => string.Empty };
            sb.Append("    ").Append(Q(from)).Append(" -> ").Append(Q(to)).Append(attr).Append(";\n");
        }

        sb.Append("}\n");
        return sb.ToString();
    }

    private enum EdgeStyle
    {
        Plain,
        Conditional,
        Join,
    }

    private static IEnumerable<NodeDefinition<TState, TUpdate>> Distinct<TState, TUpdate>(IReadOnlyList<NodeDefinition<TState, TUpdate>> nodes) =>
        nodes.DistinctBy(n => n.Name, StringComparer.Ordinal);

    private static IEnumerable<(string From, string To, EdgeStyle Style)> Connections<TState, TUpdate>(
        IReadOnlyList<NodeDefinition<TState, TUpdate>> nodes,
        IReadOnlyList<(string From, string To)> edges,
        IReadOnlyList<ConditionalEdge<TState>> conditionals,
        IReadOnlyList<JoinDefinition> joins)
    {
        var seen = new HashSet<(string, string, EdgeStyle)>();
        foreach (var (from, to) in edges)
        {
            if (seen.Add((from, to, EdgeStyle.Plain)))
            {
                yield return (from, to, EdgeStyle.Plain);
            }
        }

        foreach (var c in conditionals)
        {
            // A router without declared targets is drawn to every node and END, as LangGraph draws it.
            foreach (var t in c.Targets.Length == 0 ? [.. Distinct(nodes).Select(n => n.Name), StateGraph.End] : c.Targets)
            {
                if (seen.Add((c.Source, t, EdgeStyle.Conditional)))
                {
                    yield return (c.Source, t, EdgeStyle.Conditional);
                }
            }
        }

        foreach (var n in Distinct(nodes))
        {
            foreach (var d in n.Options.Destinations ?? [])
            {
                if (seen.Add((n.Name, d, EdgeStyle.Conditional)))
                {
                    yield return (n.Name, d, EdgeStyle.Conditional);
                }
            }
        }

        foreach (var j in joins)
        {
            foreach (var s in j.Sources)
            {
                if (seen.Add((s, j.Target, EdgeStyle.Join)))
                {
                    yield return (s, j.Target, EdgeStyle.Join);
                }
            }
        }
    }

    private static Dictionary<string, string> Ids<TState, TUpdate>(IReadOnlyList<NodeDefinition<TState, TUpdate>> nodes)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var n in Distinct(nodes))
        {
            var plain = n.Name.Length > 0 && n.Name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_')
                && !string.Equals(n.Name, "end", StringComparison.OrdinalIgnoreCase);
            ids[n.Name] = plain ? n.Name : $"node_{i}";
            i++;
        }

        return ids;
    }

    private static string Escape(string s) => s.Replace("\"", "#quot;", StringComparison.Ordinal);
}
