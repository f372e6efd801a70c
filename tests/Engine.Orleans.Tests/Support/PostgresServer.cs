using Postgres_ = Graph.Engine.Orleans.Postgres;

namespace Graph.Engine.Orleans.Tests.Support;

/// <summary>The test PostgreSQL server (GRAPH_TEST_POSTGRES, set by <c>bash .ci/postgres.sh run -- …</c>).</summary>
public static class PostgresServer
{
    /// <summary>The cluster schema version this package migrates to.</summary>
    public static int SchemaVersion => Postgres_.PostgresSchema.Version;

    public static string? ConnectionString => Environment.GetEnvironmentVariable("GRAPH_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    /// <summary>Skips the test without a server outside CI; fails it on CI, where a skip would hide a broken set-up.</summary>
    public static string Require()
    {
        if (ConnectionString is { } connection)
        {
            return connection;
        }

        const string message = "GRAPH_TEST_POSTGRES is not set: run the tests under `bash .ci/postgres.sh run -- dotnet test …` to start a PostgreSQL server.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Ignore(message);
        return string.Empty;
    }
}
