using Graph.Engine.Checkpoints;

namespace Graph.Engine.Tests.Checkpoints;

[TestFixture]
public sealed class InMemoryCheckpointerTests : CheckpointerConformanceTests
{
    protected override ICheckpointer CreateCheckpointer() => new InMemoryCheckpointer();
}
