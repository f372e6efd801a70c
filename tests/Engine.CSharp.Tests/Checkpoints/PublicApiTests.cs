using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Checkpoints;

/// <summary>Locks the public surface of the checkpoint layer: a change must update the approved file deliberately.</summary>
public class PublicApiTests
{
    [Test]
    public void CheckpointsNamespace_PublicSurface_MatchesTheApprovedFile() =>
        PublicApi.AssertMatchesApproved("Graph.Engine.Checkpoints", "Checkpoints/PublicApi.Checkpoints.txt");
}
