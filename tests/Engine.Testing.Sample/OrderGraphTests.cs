using Graph.Engine.Graphs;

namespace Graph.Engine.Testing.Sample;

public class OrderGraphTests
{
    private static readonly Dictionary<string, decimal> Catalog = new() { ["pen"] = 2m, ["book"] = 30m, ["lamp"] = 80m };

    /// <summary>Orders and their expected totals (one test case each).</summary>
    private static IEnumerable<TestCaseData> Orders()
    {
        yield return new TestCaseData(new[] { "pen" }, 2m).SetName("Invoke_OnePen_NoDiscount");
        yield return new TestCaseData(new[] { "book", "lamp" }, 99m).SetName("Invoke_BookAndLamp_TenPercentOff");
        yield return new TestCaseData(Array.Empty<string>(), 0m).SetName("Invoke_NoItems_Zero");
    }

    [TestCaseSource(nameof(Orders))]
    public void Invoke(string[] items, decimal expected)
    {
        using var test = GraphTest.Create(OrderGraph.Build(item => Catalog[item], items), seed: 42);
        test.Run(0m).ShouldFinishWith(expected);
    }

    [Test]
    public void Run_TwoItems_StepsAndUpdatesAsPlanned()
    {
        using var test = GraphTest.Create(OrderGraph.Build(item => Catalog[item], ["book", "lamp"]));
        test.Run(0m)
            .ShouldRunSteps("start", "price, price", "discount")
            .ShouldHaveUpdates("price", 30m, 80m)
            .ShouldHaveStateAfter(2, 110m);
    }

    [Test]
    public void Run_AnySeed_SameTotal()
    {
        for (var seed = 0; seed < 20; seed++)
        {
            using var test = GraphTest.Create(OrderGraph.Build(item => Catalog[item], ["pen", "book", "lamp"]), seed);
            test.Run(0m).ShouldFinishWith(100.8m);
        }
    }

    [Test]
    public void Run_PriceServiceStubbed_NoRealLookup()
    {
        using var test = GraphTest.Create(OrderGraph.Build(_ => throw new HttpRequestException("no network in tests"), ["pen", "book"]));
        test.StubWorker<string>("price", _ => 60m);
        test.Run(0m).ShouldFinishWith(108m);
    }

    [Test]
    public async Task RunNodeAsync_Discount_OnItsOwn()
    {
        await using var compiled = OrderGraph.Build(item => Catalog[item], []).Compile();
        var run = await compiled.RunNodeAsync("discount", 200m);
        Assert.That(run.Update, Is.EqualTo(-20m));
    }
}
