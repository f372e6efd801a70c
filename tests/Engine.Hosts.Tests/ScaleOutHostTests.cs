namespace Graph.Engine.Hosts.Tests;

/// <summary>The scale-out packages (PostgreSQL store, Orleans cluster, testing kit) in a fresh console app.</summary>
public class ScaleOutHostTests
{
    private const string Program = """
        using Graph.Engine.Graphs;
        using Graph.Engine.Postgres;

        var connection = Environment.GetEnvironmentVariable("GRAPH_TEST_POSTGRES")!;
        await using var store = await PostgresCheckpointer.OpenAsync(connection, "host_" + Guid.NewGuid().ToString("N")[..12]);
        await using var graph = new StateGraph<int, int>(Reducers.Sum<int>())
            .AddNode("a", (int _) => 1)
            .AddNode("b", (int _) => 2)
            .AddEdge(StateGraph.Start, "a")
            .AddEdge("a", "b")
            .AddEdge("b", StateGraph.End)
            .Compile(new GraphCompileOptions { Checkpointer = store });
        var result = await graph.RunAsync(10, new RunOptions { ThreadId = "host" });
        var history = await graph.GetStateHistoryAsync("host");
        Console.WriteLine($"state {result.State}, {history.Count} checkpoints in PostgreSQL");
        """;

    [Test]
    public async Task CSharpConsoleApp_PostgresStoreWithOrleansAndTestingPackages_BuildsWithoutConflictsAndCheckpoints()
    {
        if (Environment.GetEnvironmentVariable("GRAPH_TEST_POSTGRES") is not { Length: > 0 })
        {
            const string message = "GRAPH_TEST_POSTGRES is not set: run the tests under `bash .ci/postgres.sh run -- dotnet test …` to start a PostgreSQL server.";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(message);
            }

            Assert.Ignore(message);
        }

        // Orleans and the testing kit come along: their dependencies must restore and build beside the store's Npgsql.
        var run = await HostApp.BuildAndRunAsync("scale-out-app", "C#", Program, "Graph.Engine", "Graph.Engine.Postgres", "Graph.Engine.Orleans", "Graph.Engine.Testing");

        Assert.That(run.Output, Does.Match(@"state 13, [1-9][0-9]* checkpoints in PostgreSQL"), run.Describe());
    }
}
