using Graph.Engine.FSharp;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Interop;

/// <summary>Locks the public surface of the F# bindings: a change must update the approved file deliberately.</summary>
public class FSharpPublicApiTests
{
    [Test]
    public void FSharpNamespace_PublicSurface_MatchesTheApprovedFile() =>
        PublicApi.AssertMatchesApproved(typeof(GraphRun).Assembly, "Graph.Engine.FSharp", "Interop/PublicApi.FSharp.txt");

    [Test]
    public void FSharpTestingNamespace_PublicSurface_MatchesTheApprovedFile() =>
        PublicApi.AssertMatchesApproved(typeof(Graph.Engine.FSharp.Testing.TestConfig).Assembly, "Graph.Engine.FSharp.Testing", "Interop/PublicApi.FSharpTesting.txt");
}
