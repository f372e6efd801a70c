using Graph.Engine.Graphs;

namespace Graph.Engine.Testing.Tests;

public class WithoutSynchronizationContextTests
{
    private static CompiledGraph<int, int> OneSyncNode(Action ran) =>
        new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("n", (int s) =>
            {
                ran();
                return s + 1;
            })
            .AddEdge(StateGraph.Start, "n").AddEdge("n", StateGraph.End)
            .Compile();

    [Test]
    public void NUnit_WithoutTheAttribute_RunsTheTestUnderAContext() =>
        Assert.That(SynchronizationContext.Current, Is.Not.Null, "NUnit installs a context around each test, which is why the attribute exists");

    [Test]
    [WithoutSynchronizationContext]
    public async Task InvokeAsync_TestWithoutAContext_RunsTheNodeOnTheCallersThread()
    {
        Assert.That(SynchronizationContext.Current, Is.Null);
        var caller = Environment.CurrentManagedThreadId;
        var nodeThread = -1;
        await using var graph = OneSyncNode(() => nodeThread = Environment.CurrentManagedThreadId);

        var invoked = graph.InvokeAsync(1);

        Assert.That(invoked.IsCompletedSuccessfully, Is.True, "a run of synchronous nodes ends before InvokeAsync returns");
        Assert.That(nodeThread, Is.EqualTo(caller));
        Assert.That(await invoked, Is.EqualTo(2));
    }

    [Test]
    public async Task InvokeAsync_TestUnderNUnitsContext_DoesNotRunTheNodeInline()
    {
        var caller = Environment.CurrentManagedThreadId;
        var nodeThread = -1;
        await using var graph = OneSyncNode(() => nodeThread = Environment.CurrentManagedThreadId);

        Assert.That(await BoundedWait.For(graph.InvokeAsync(1), "the run ended"), Is.EqualTo(2));
        Assert.That(nodeThread, Is.Not.EqualTo(caller), "under a context the run is queued, so the fixtures without one test the other path");
    }

    [WithoutSynchronizationContext]
    public sealed class OnAFixture
    {
        [SetUp]
        public void SetUp() => Assert.That(SynchronizationContext.Current, Is.Null, "set-up runs without a context too");

        [Test]
        public async Task Test_AfterAnAwait_StillHasNoContext()
        {
            await Task.Yield();
            Assert.That(SynchronizationContext.Current, Is.Null);
        }
    }
}
