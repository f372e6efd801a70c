using Graph.Engine.Tests.Support;

namespace Graph.Engine.Testing.Tests;

/// <summary>Locks the public surface of the testing kit: a change must update the approved file deliberately.</summary>
public class TestingPublicApiTests
{
    [Test]
    public void TestingNamespace_PublicSurface_MatchesTheApprovedFile() =>
        PublicApi.AssertMatchesApproved(typeof(GraphTest).Assembly, "Graph.Engine.Testing", "../Engine.Testing.Tests/PublicApi.Testing.txt");
}
