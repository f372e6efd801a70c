using Graph.Engine.Sqlite;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Durability;

/// <summary>Locks the public surface of the SQLite checkpointer: a change must update the approved file deliberately.</summary>
public class SqlitePublicApiTests
{
    [Test]
    public void SqliteNamespace_PublicSurface_MatchesTheApprovedFile() =>
        PublicApi.AssertMatchesApproved(typeof(SqliteCheckpointer).Assembly, "Graph.Engine.Sqlite", "Durability/PublicApi.Sqlite.txt");
}
