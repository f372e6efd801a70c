using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Hosting;

/// <summary>Locks the engine's registrations in Microsoft.Extensions.DependencyInjection: a change must update the approved file deliberately.</summary>
public class PublicApiTests
{
    [Test]
    public void DependencyInjectionNamespace_PublicSurface_MatchesTheApprovedFile() =>
        PublicApi.AssertMatchesApproved("Microsoft.Extensions.DependencyInjection", "Hosting/PublicApi.Hosting.txt");
}
