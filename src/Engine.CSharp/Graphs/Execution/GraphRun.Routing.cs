namespace Graph.Engine.Graphs;

/// <summary>Following a finished node's edges, joins, routers and command into the next step's triggered nodes and sends.</summary>
internal sealed partial class GraphRun<TState, TUpdate>
{
    private void FollowEdges(NodeDefinition<TState, TUpdate> node, Command<TUpdate>? command)
    {
        foreach (var target in node.EdgeTargets)
        {
            Trigger(target);
        }

        foreach (var (join, bit) in node.JoinMemberships)
        {
            var mask = joinMasks[join] | bit;
            var full = model.Joins[join].FullMask;
            if (mask == full)
            {
                Trigger(model.Nodes[model.Joins[join].TargetIndex]);
                mask = 0;
            }

            joinMasks[join] = mask;
        }

        foreach (var router in node.Routers)
        {
            ApplyRouter(node.Name, router);
        }

        if (command is not null)
        {
            ApplyOrQueue(node.Name, new ValueTask<Route>(command.Goto), node.Options.Destinations);
        }
    }

    private void Trigger(NodeDefinition<TState, TUpdate> node)
    {
        if (!isTriggered[node.Index])
        {
            isTriggered[node.Index] = true;
            triggered.Add(node);
        }
    }

    private void ApplyRoute(string source, Route route, IReadOnlyList<string>? declared)
    {
        if (route.IsFromNull || (route.IsDefault && declared is not null && !declared.Contains(StateGraph.End)))
        {
            throw EmptyRoute(source, route, declared);
        }

        for (var i = 0; i < route.TargetCount; i++)
        {
            var target = route.TargetAt(i);
            CheckDeclared(source, target, declared);
            if (target == StateGraph.End)
            {
                continue;
            }

            var node = model.Find(target)
                ?? throw new InvalidRouteException(source, target, declared, $"Node '{source}' routed to unknown node '{target}'.");
            if (node.Kind == NodeKind.Worker)
            {
                throw new InvalidRouteException(source, target, declared, $"Node '{source}' routed to worker node '{target}' without a Send; use Route.Sends(Send.To(\"{target}\", argument)).");
            }

            Trigger(node);
        }

        if (route.RawSends is { } routeSends)
        {
            // A map sends many items to one worker: its name is resolved and checked once, and each argument type once.
            NodeDefinition<TState, TUpdate>? node = null;
            Type? accepted = null;
            foreach (var send in routeSends)
            {
                if (node is null || !string.Equals(node.Name, send.Node, StringComparison.Ordinal))
                {
                    CheckDeclared(source, send.Node, declared);
                    node = model.Find(send.Node) ?? throw UnknownSendTarget(source, send.Node, declared);
                    accepted = null;
                }

                if (send.Argument is not { } argument || argument.GetType() != accepted)
                {
                    if (!node.AcceptsArgument(send.Argument))
                    {
                        throw WrongSendArgument(source, node, send.Argument, declared);
                    }

                    accepted = send.Argument?.GetType();
                }

                sends.Add((node, send));
            }
        }
    }

    /// <summary>A router or command that returned null, or nothing while END is not among its declared targets.</summary>
    private InvalidRouteException EmptyRoute(string source, Route route, IReadOnlyList<string>? declared)
    {
        var from = source == StateGraph.Start ? "START" : $"node '{source}'";
        var what = route.IsFromNull ? "null instead of a route" : "default(Route), which goes nowhere";
        var hint = route.IsFromNull
            ? "return Route.End to end the branch"
            : $"return Route.End and declare END among its targets [{string.Join(", ", declared!)}], or route somewhere";
        return new InvalidRouteException(
            source,
            route.IsFromNull ? "(null)" : StateGraph.End,
            declared,
            $"Run '{RunId}': the router or command of {from} returned {what} after step {step}; {hint}.");
    }

    private static void CheckDeclared(string source, string target, IReadOnlyList<string>? declared)
    {
        if (declared is null)
        {
            return;
        }

        for (var i = 0; i < declared.Count; i++)
        {
            if (string.Equals(declared[i], target, StringComparison.Ordinal))
            {
                return;
            }
        }

        var from = source == StateGraph.Start ? "START" : $"node '{source}'";
        throw new InvalidRouteException(source, target, declared, $"The router or command of {from} returned '{target}', which is not among its declared targets [{string.Join(", ", declared)}].");
    }
}
