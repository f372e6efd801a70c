using Graph.Engine.Graphs;

namespace Graph.Engine.Tests.Graphs;

/// <summary>
/// A deliberately simple, sequential evaluator of a graph model's step semantics, written independently of
/// <see cref="GraphRun{TState, TUpdate}"/> (sorted sets and dictionaries, one task at a time, no policies) so tests
/// can compare the concurrent engine against it.
/// </summary>
internal static class ReferenceEvaluator
{
    public static async Task<TState> EvaluateAsync<TState, TUpdate>(
        GraphModel<TState, TUpdate> model, TState input, int stepLimit, JoinSkippedPolicy joinPolicy)
    {
        var state = input;
        var joinSeen = model.Joins.Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToList();
        var tasks = Plan(model, StateGraph.Start, state, null, joinSeen, new SortedSet<string>(StringComparer.Ordinal), []);
        var step = 0;
        while (tasks.Count > 0)
        {
            step++;
            if (step > stepLimit)
            {
                throw new GraphRecursionLimitException(stepLimit, [.. tasks.Select(t => t.Node)]);
            }

            var results = new List<NodeResult<TUpdate>>();
            for (var i = 0; i < tasks.Count; i++)
            {
                var def = model.Find(tasks[i].Node)!;
                var context = default(NodeContext);
                results.Add(def.Kind == NodeKind.Worker
                    ? await def.Worker!(tasks[i].Argument, context).ConfigureAwait(false)
                    : def.Kind == NodeKind.Factory
                        ? await def.Factory!().InvokeAsync(state, context).ConfigureAwait(false)
                        : await def.Function!(state, context).ConfigureAwait(false));
            }

            var updates = new List<NodeUpdate<TUpdate>>();
            for (var i = 0; i < tasks.Count; i++)
            {
                if (results[i].HasUpdate)
                {
                    updates.Add(new NodeUpdate<TUpdate>(tasks[i].Node, step, i, results[i].Update));
                }
            }

            state = model.Reducer(state, updates);
            var triggered = new SortedSet<string>(StringComparer.Ordinal);
            var sends = new List<Send>();
            for (var i = 0; i < tasks.Count; i++)
            {
                Plan(model, tasks[i].Node, state, results[i].Command, joinSeen, triggered, sends);
            }

            tasks = [.. triggered.Select(n => (n, (object?)null)), .. sends.Select(s => (s.Node, s.Argument))];
        }

        var skipped = model.Joins.Where((j, i) => joinSeen[i].Count > 0).ToList();
        if (skipped.Count > 0 && joinPolicy == JoinSkippedPolicy.Fail)
        {
            throw new JoinSkippedException($"Joins into [{string.Join(", ", skipped.Select(j => j.Target))}] never fired.");
        }

        return state;
    }

    private static List<(string Node, object? Argument)> Plan<TState, TUpdate>(
        GraphModel<TState, TUpdate> model,
        string source,
        TState state,
        Command<TUpdate>? command,
        List<HashSet<string>> joinSeen,
        SortedSet<string> triggered,
        List<Send> sends)
    {
        foreach (var (from, to) in model.Edges)
        {
            if (from == source && to != StateGraph.End)
            {
                triggered.Add(to);
            }
        }

        for (var j = 0; j < model.Joins.Length; j++)
        {
            if (model.Joins[j].Sources.Contains(source))
            {
                joinSeen[j].Add(source);
                if (joinSeen[j].Count == model.Joins[j].Sources.Length)
                {
                    triggered.Add(model.Joins[j].Target);
                    joinSeen[j].Clear();
                }
            }
        }

        void Apply(Route route, IReadOnlyList<string>? declared)
        {
            foreach (var t in route.Targets.Concat(route.SendList.Select(s => s.Node)))
            {
                if (declared is not null && !declared.Contains(t))
                {
                    throw new InvalidRouteException($"'{source}' routed to undeclared '{t}'.");
                }
            }

            foreach (var t in route.Targets.Where(t => t != StateGraph.End))
            {
                triggered.Add(t);
            }

            sends.AddRange(route.SendList);
        }

        foreach (var c in model.Conditionals.Where(c => c.Source == source))
        {
            Apply(c.Router!(state), c.Declared);
        }

        if (command is not null)
        {
            Apply(command.Goto, model.Find(source)!.Options.Destinations);
        }

        return [.. triggered.Select(n => (n, (object?)null)), .. sends.Select(s => (s.Node, s.Argument))];
    }
}
