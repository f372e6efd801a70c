using Graph.Engine.Graphs;

namespace Graph.Engine.Tests.Graphs;

/// <summary>Shared helpers: bounded waits and small graphs.</summary>
internal static class TestGraphs
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public static Task<T> Bounded<T>(this Task<T> task) => task.WaitAsync(Wait);

    public static Task Bounded(this Task task) => task.WaitAsync(Wait);

    /// <summary>A list-of-strings state where every node appends its name (Append reducer).</summary>
    public static StateGraph<IReadOnlyList<string>, IReadOnlyList<string>> Trace() => new(Reducers.Append<string>());

    public static IReadOnlyList<string> Log(string name) => [name];

    /// <summary>n0 → n1 → … → n(length-1), each node adding one to an <see cref="int"/> state that it replaces.</summary>
    public static StateGraph<int, int> Chain(int length)
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>());
        for (var i = 0; i < length; i++)
        {
            graph.AddNode($"n{i}", s => s + 1);
        }

        graph.AddEdge(StateGraph.Start, "n0");
        for (var i = 0; i < length - 1; i++)
        {
            graph.AddEdge($"n{i}", $"n{i + 1}");
        }

        return graph.AddEdge($"n{length - 1}", StateGraph.End);
    }

    public static TaskCompletionSource NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static TaskCompletionSource<T> NewGate<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<List<GraphEvent>> CollectAsync(IAsyncEnumerable<GraphEvent> events)
    {
        var list = new List<GraphEvent>();
        await foreach (var e in events.ConfigureAwait(false))
        {
            list.Add(e);
        }

        return list;
    }
}
