using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Actors;

/// <summary>Locks the public surface of the actor runtime and its diagnostics: a change must update the approved files deliberately.</summary>
public class PublicApiTests
{
    [Test]
    public void ActorsNamespace_PublicSurface_MatchesTheApprovedFile() =>
        PublicApi.AssertMatchesApproved("Graph.Engine.Actors", "Actors/PublicApi.Actors.txt");

    [Test]
    public void DiagnosticsNamespace_PublicSurface_MatchesTheApprovedFile() =>
        PublicApi.AssertMatchesApproved("Graph.Engine.Diagnostics", "Actors/PublicApi.Diagnostics.txt");
}
