using Graph.Engine.Graphs;

namespace Graph.Engine.Tests.Graphs;

public class ReducersTests
{
    [Test]
    public void Replace_ReturnsTheUpdate() => Assert.That(Reducers.Replace<string>()("old", "new"), Is.EqualTo("new"));

    [Test]
    public void Append_ConcatenatesWithoutMutatingInputs()
    {
        IReadOnlyList<int> state = [1, 2];
        Assert.That(Reducers.Append<int>()(state, [3]), Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(state, Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public void Sum_AddsGenericNumbers()
    {
        Assert.That(Reducers.Sum<int>()(2, 3), Is.EqualTo(5));
        Assert.That(Reducers.Sum<decimal>()(1.5m, 1.25m), Is.EqualTo(2.75m));
    }

    [Test]
    public void Merge_UpdateWinsOnEqualKeys()
    {
        var merged = Reducers.Merge<string, int>()(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }, new Dictionary<string, int> { ["b"] = 20, ["c"] = 3 });
        Assert.That(merged, Is.EquivalentTo(new Dictionary<string, int> { ["a"] = 1, ["b"] = 20, ["c"] = 3 }));
    }
}
