using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;

namespace Graph.Engine.Tests.Durability;

/// <summary>
/// Base of the durability fixtures: each test gets a fresh store of the fixture's kind (in memory, or SQLite on a
/// temporary file), disposed after it; <see cref="Options"/> compiles graphs against it.
/// </summary>
public abstract class StoreFixture(StoreKind kind)
{
    internal TestStore TestStore { get; private set; } = null!;

    [SetUp]
    public void CreateStore() => TestStore = new TestStore(kind);

    [TearDown]
    public async Task DisposeStore()
    {
        if (TestStore is not null)
        {
            await TestStore.DisposeAsync();
        }
    }

    internal GraphCompileOptions Options(CheckpointDurability durability = CheckpointDurability.Async) =>
        new() { Checkpointer = TestStore.Store, Durability = durability };
}
