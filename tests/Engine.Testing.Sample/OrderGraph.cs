using Graph.Engine.Graphs;

namespace Graph.Engine.Testing.Sample;

/// <summary>The graph under test: prices an order's items in parallel (Send), then applies a discount.</summary>
public static class OrderGraph
{
    /// <summary>Builds the graph; <paramref name="prices"/> is the price lookup (a remote service in production).</summary>
    public static StateGraph<decimal, decimal> Build(Func<string, decimal> prices, IReadOnlyList<string> items) =>
        new StateGraph<decimal, decimal>(Reducers.Sum<decimal>())
            .AddNode("start", (decimal _) => 0m)
            .AddWorker<string>("price", item => prices(item))
            .AddNode("discount", (decimal total) => total >= 100m ? -total * 0.1m : 0m)
            .AddEdge(StateGraph.Start, "start")
            .AddConditionalEdges("start", _ => Route.Sends(items.Select(i => Send.To("price", i))), "price")
            .AddEdge("price", "discount")
            .AddEdge("discount", StateGraph.End);
}
