namespace Graph.Engine.Graphs;

/// <summary>Which nodes a graph's valid connections reach from START and lead to END (<see cref="GraphValidator"/>).</summary>
internal static class GraphReachability
{
    /// <summary>Forward reachability from START; a join's target is reachable once all its sources are.</summary>
    public static HashSet<string> FromStart(Dictionary<string, List<string>> successors, List<JoinDefinition> joins)
    {
        var reachable = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>();
        void Reach(string name)
        {
            if (reachable.Add(name))
            {
                pending.Enqueue(name);
            }
        }

        Reach(StateGraph.Start);
        var progress = true;
        while (progress)
        {
            while (pending.Count > 0)
            {
                foreach (var next in successors.GetValueOrDefault(pending.Dequeue()) ?? [])
                {
                    Reach(next);
                }
            }

            progress = false;
            foreach (var j in joins)
            {
                if (!reachable.Contains(j.Target) && j.Sources.All(reachable.Contains))
                {
                    Reach(j.Target);
                    progress = true;
                }
            }
        }

        return reachable;
    }

    /// <summary>Backward reachability from END, joins included (a source's way out is its join).</summary>
    public static HashSet<string> ToEnd(Dictionary<string, List<string>> successors, List<JoinDefinition> joins)
    {
        var predecessors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Back(string from, string to)
        {
            if (!predecessors.TryGetValue(to, out var list))
            {
                predecessors[to] = list = [];
            }

            list.Add(from);
        }

        foreach (var (from, list) in successors)
        {
            foreach (var to in list)
            {
                Back(from, to);
            }
        }

        foreach (var j in joins)
        {
            foreach (var s in j.Sources)
            {
                Back(s, j.Target);
            }
        }

        var reachesEnd = new HashSet<string>(StringComparer.Ordinal) { StateGraph.End };
        var back = new Queue<string>([StateGraph.End]);
        while (back.Count > 0)
        {
            foreach (var p in predecessors.GetValueOrDefault(back.Dequeue()) ?? [])
            {
                if (reachesEnd.Add(p))
                {
                    back.Enqueue(p);
                }
            }
        }

        return reachesEnd;
    }
}
