using Graph.Engine.Graphs;

namespace Graph.Engine.Tests.Graphs;

/// <summary>
/// PERFORMANCE.md: steady-state allocation per graph step, beyond the user's state, at most 32 bytes. Measured as
/// the difference between a 100-node and a 10-node chain (the per-run cost cancels out), divided by 90 steps.
/// Allocation counts are deterministic enough to assert; times are not, so none are asserted here.
/// </summary>
public class GraphAllocationTests
{
#if DEBUG
    // Debug builds allocate every async state machine as a class: 313 B/step measured here (Release: about 1 B/step,
    // see docs/performance.md). The bound still catches a regression such as a closure per step (+148 B).
    private const double BytesPerStepLimit = 400;
#else
    private const double BytesPerStepLimit = 32;
#endif

    [Test]
    public async Task InvokeAsync_Chain_AllocatesLittlePerStep()
    {
        await using var chain10 = TestGraphs.Chain(10).Compile();
        await using var chain100 = TestGraphs.Chain(100).Compile(new GraphCompileOptions { StepLimit = 200 });

        var perRun10 = await BytesPerRunAsync(chain10, 10);
        var perRun100 = await BytesPerRunAsync(chain100, 100);
        var perStep = (perRun100 - perRun10) / 90.0;

        TestContext.Out.WriteLine($"chain10 {perRun10:F0} B/run, chain100 {perRun100:F0} B/run, {perStep:F1} B/step");
        Assert.That(perStep, Is.LessThanOrEqualTo(BytesPerStepLimit));
    }

    private static async Task<double> BytesPerRunAsync(CompiledGraph<int, int> graph, int expected)
    {
        const int runs = 500;
        for (var i = 0; i < runs; i++)
        {
            Assert.That(await graph.InvokeAsync(0).Bounded(), Is.EqualTo(expected));
        }

        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < runs; i++)
        {
            await graph.InvokeAsync(0).Bounded();
        }

        return (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)runs;
    }
}
