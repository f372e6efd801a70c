namespace Graph.Engine.Graphs;

/// <summary>The structural checks run by <see cref="StateGraph{TState, TUpdate}.Compile"/>; one message per problem, in a stable order.</summary>
internal static class GraphValidator
{
    public static List<string> Validate<TState, TUpdate>(
        IReadOnlyList<NodeDefinition<TState, TUpdate>> nodes,
        IReadOnlyList<(string From, string To)> edges,
        IReadOnlyList<ConditionalEdge<TState>> conditionals,
        IReadOnlyList<JoinDefinition> joins,
        GraphCompileOptions options)
    {
        var errors = new List<string>(options.Validate());
        var known = new Dictionary<string, NodeDefinition<TState, TUpdate>>(StringComparer.Ordinal);
        var reportedDuplicates = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (string.IsNullOrWhiteSpace(node.Name))
            {
                errors.Add("A node name must not be empty or white space.");
                continue;
            }

            if (node.Name is StateGraph.Start or StateGraph.End)
            {
                errors.Add($"Node name '{node.Name}' is reserved.");
                continue;
            }

            if (!known.TryAdd(node.Name, node))
            {
                if (reportedDuplicates.Add(node.Name))
                {
                    errors.Add($"Duplicate node '{node.Name}': node names must be unique.");
                }

                continue;
            }

            errors.AddRange(node.Options.Validate(node.Name));
            if (node.Options.Cache is not null && options.NodeCache is null)
            {
                errors.Add($"Node '{node.Name}' has a CachePolicy but GraphCompileOptions.NodeCache is null: set a cache (e.g. new InMemoryNodeCache()).");
            }
        }

        bool IsNode(string name) => known.ContainsKey(name);

        foreach (var (list, what) in new[] { (options.InterruptBefore, "InterruptBefore"), (options.InterruptAfter, "InterruptAfter") })
        {
            foreach (var name in list ?? [])
            {
                if (name is null || !IsNode(name))
                {
                    errors.Add($"{what} names unknown node '{name}'.");
                }
            }
        }
        bool IsWorker(string name) => known.TryGetValue(name, out var n) && n.Kind == NodeKind.Worker;

        // Successor lists over every valid connection, used by the reachability checks.
        var successors = new Dictionary<string, List<string>>(StringComparer.Ordinal) { [StateGraph.Start] = [] };
        foreach (var name in known.Keys)
        {
            successors[name] = [];
        }

        void Connect(string from, string to)
        {
            if (successors.TryGetValue(from, out var list))
            {
                list.Add(to);
            }
        }

        foreach (var (from, to) in edges)
        {
            var label = $"Edge '{from}' -> '{to}'";
            var ok = true;
            if (from == StateGraph.End)
            {
                errors.Add($"{label}: END cannot have outgoing edges.");
                ok = false;
            }
            else if (from != StateGraph.Start && !IsNode(from))
            {
                errors.Add($"{label}: unknown source node '{from}'.");
                ok = false;
            }

            if (to == StateGraph.Start)
            {
                errors.Add($"{label}: START cannot be the target of an edge.");
                ok = false;
            }
            else if (to != StateGraph.End && !IsNode(to))
            {
                errors.Add($"{label}: unknown target node '{to}'.");
                ok = false;
            }
            else if (IsWorker(to))
            {
                errors.Add($"{label}: '{to}' is a worker node; it can only be reached by a Send from a router or command.");
                ok = false;
            }

            if (ok)
            {
                Connect(from, to);
            }
        }

        foreach (var c in conditionals)
        {
            var label = $"Conditional edge from '{c.Source}'";
            if (c.Source == StateGraph.End)
            {
                errors.Add($"{label}: END cannot have outgoing edges.");
                continue;
            }

            if (c.Source != StateGraph.Start && !IsNode(c.Source))
            {
                errors.Add($"{label}: unknown source node '{c.Source}'.");
                continue;
            }

            // A router without declared targets may go anywhere: it connects to every node and END.
            foreach (var t in c.Targets.Length == 0 ? [.. known.Keys, StateGraph.End] : c.Targets)
            {
                if (t == StateGraph.Start)
                {
                    errors.Add($"{label}: START cannot be a target.");
                }
                else if (t != StateGraph.End && !IsNode(t))
                {
                    errors.Add($"{label}: unknown target node '{t}'.");
                }
                else
                {
                    Connect(c.Source, t);
                }
            }
        }

        foreach (var node in known.Values)
        {
            foreach (var d in node.Options.Destinations ?? [])
            {
                if (d == StateGraph.Start)
                {
                    errors.Add($"Node '{node.Name}': START cannot be a command destination.");
                }
                else if (d != StateGraph.End && !IsNode(d))
                {
                    errors.Add($"Node '{node.Name}': unknown command destination '{d}'.");
                }
                else
                {
                    Connect(node.Name, d);
                }
            }
        }

        var validJoins = new List<JoinDefinition>();
        foreach (var j in joins)
        {
            var label = $"Join {j.Describe()}";
            var ok = true;
            if (j.Sources.Length == 0)
            {
                errors.Add($"{label}: a join needs at least one source.");
                ok = false;
            }

            if (j.Sources.Length > JoinDefinition.MaxSources)
            {
                errors.Add($"{label}: a join can have at most {JoinDefinition.MaxSources} sources (has {j.Sources.Length}).");
                ok = false;
            }

            foreach (var dup in j.Sources.GroupBy(s => s, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                errors.Add($"{label}: source '{dup.Key}' is listed more than once.");
                ok = false;
            }

            foreach (var s in j.Sources.Distinct(StringComparer.Ordinal))
            {
                if (s is StateGraph.Start or StateGraph.End)
                {
                    errors.Add($"{label}: '{s}' cannot be a join source.");
                    ok = false;
                }
                else if (!IsNode(s))
                {
                    errors.Add($"{label}: unknown source node '{s}'.");
                    ok = false;
                }
            }

            if (j.Target is StateGraph.Start or StateGraph.End)
            {
                errors.Add($"{label}: the target must be a node, not '{j.Target}'.");
                ok = false;
            }
            else if (!IsNode(j.Target))
            {
                errors.Add($"{label}: unknown target node '{j.Target}'.");
                ok = false;
            }
            else if (IsWorker(j.Target))
            {
                errors.Add($"{label}: '{j.Target}' is a worker node; it can only be reached by a Send.");
                ok = false;
            }

            if (ok)
            {
                validJoins.Add(j);
            }
        }

        if (successors[StateGraph.Start].Count == 0)
        {
            errors.Add($"The graph has no entry: add an edge or a conditional edge from StateGraph.Start (\"{StateGraph.Start}\").");
        }

        var reachable = GraphReachability.FromStart(successors, validJoins);
        foreach (var node in known.Values)
        {
            if (!reachable.Contains(node.Name))
            {
                errors.Add($"Node '{node.Name}' is unreachable from START.");
            }
        }

        foreach (var j in validJoins)
        {
            foreach (var s in j.Sources.Where(s => !reachable.Contains(s)))
            {
                errors.Add($"Join {j.Describe()} can never fire: source '{s}' is unreachable from START.");
            }
        }

        var reachesEnd = GraphReachability.ToEnd(successors, validJoins);
        var joinSources = new HashSet<string>(validJoins.SelectMany(j => j.Sources), StringComparer.Ordinal);
        foreach (var node in known.Values)
        {
            if (successors[node.Name].Count == 0 && !joinSources.Contains(node.Name))
            {
                errors.Add($"Node '{node.Name}' has no way out: add an edge from it (to the next node or to StateGraph.End), a conditional edge, or NodeOptions.Destinations for its commands.");
            }
            else if (!reachesEnd.Contains(node.Name))
            {
                errors.Add($"Node '{node.Name}' can never reach END: every path from it loops without an exit.");
            }
        }

        return errors;
    }
}
