using System.Security.Cryptography;
using Graph.Engine.Checkpoints;

namespace Graph.Engine.Tests.Checkpoints;

/// <summary>The whole store contract holds through a signing and encrypting <see cref="ProtectedCheckpointer"/>.</summary>
[TestFixture]
public sealed class ProtectedCheckpointerConformanceTests : CheckpointerConformanceTests
{
    protected override ICheckpointer CreateCheckpointer() =>
        new ProtectedCheckpointer(new InMemoryCheckpointer(), new CheckpointKeys("k1", new Dictionary<string, byte[]> { ["k1"] = RandomNumberGenerator.GetBytes(32) }));
}
