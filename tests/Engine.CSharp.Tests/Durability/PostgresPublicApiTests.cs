using Graph.Engine.Postgres;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Durability;

/// <summary>Locks the public surface of the PostgreSQL checkpointer: a change must update the approved file deliberately.</summary>
public class PostgresPublicApiTests
{
    [Test]
    public void PostgresNamespace_PublicSurface_MatchesTheApprovedFile() =>
        PublicApi.AssertMatchesApproved(typeof(PostgresCheckpointer).Assembly, "Graph.Engine.Postgres", "Durability/PublicApi.Postgres.txt");
}
