using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

/// <summary>Locks the public surface of supervision: a change must update the approved file deliberately.</summary>
public class PublicApiTests
{
    [Test]
    public void SupervisionNamespace_PublicSurface_MatchesTheApprovedFile() =>
        PublicApi.AssertMatchesApproved("Graph.Engine.Supervision", "Supervision/PublicApi.Supervision.txt");
}
