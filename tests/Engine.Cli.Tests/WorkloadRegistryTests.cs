using Graph.Engine.Workloads;
using Graph.Engine.Workloads.Measuring;
using Graph.Engine.Workloads.Registry;

namespace Graph.Cli.Tests;

public class WorkloadRegistryTests
{
    private static readonly MeasurementOptions Smoke = MeasurementOptions.Quick with
    {
        Iterations = 2,
        Batches = 1,
        IdleInstances = 10,
        IdleRounds = 1,
    };

    private static IEnumerable<TestCaseData> Baselines() =>
        WorkloadRegistry.All
            .SelectMany(e => e.Baselines.Select(factory => factory()))
            .DistinctBy(w => (w.Name, w.Implementation))
            .Select(w => new TestCaseData(w).SetArgDisplayNames(w.ToString()));

    [Test]
    public void All_HasEveryPerformanceWorkloadOnce() =>
        Assert.That(WorkloadRegistry.All.Select(e => e.Name), Is.EqualTo(WorkloadNames.All));

    [Test]
    public void All_EveryEntry_HasAPrimaryBaseline() =>
        Assert.That(WorkloadRegistry.All.Select(e => e.Baselines.Count), Has.All.GreaterThan(0));

    [Test]
    public void All_EngineSlots_HoldOnlyEngineImplementations() =>
        Assert.That(
            WorkloadRegistry.All.Select(e => e.Engine).OfType<Func<Workload>>().Select(engine => engine().Implementation),
            Has.All.EqualTo(Workload.EngineImplementation));

    [TestCaseSource(nameof(Baselines))]
    public async Task MeasureAsync_Baseline_ProducesPositiveFigures(Workload workload)
    {
        var measurement = await MeasurementRunner.MeasureAsync(workload, Smoke).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Multiple(() =>
        {
            Assert.That(measurement.Workload, Is.EqualTo(workload.Name));
            Assert.That(measurement.NanosecondsPerOperation, Is.GreaterThan(0));
            Assert.That(measurement.BytesPerOperation, Is.GreaterThanOrEqualTo(0));
            Assert.That(measurement.RetainedBytesPerInstance, workload.Kind == MeasureKind.IdleMemory ? Is.Not.Null : Is.Null);
        });
    }

    [TestCase(new[] { 3.0 }, 3.0)]
    [TestCase(new[] { 5.0, 1.0, 3.0 }, 3.0)]
    [TestCase(new[] { 4.0, 1.0, 3.0, 2.0 }, 2.5)]
    public void Median_Values_ReturnsMiddle(double[] values, double expected) =>
        Assert.That(MeasurementRunner.Median(values), Is.EqualTo(expected));

    [TestCase("chain10", "chain10", true)]
    [TestCase("chain10-x1000", "chain10*", true)]
    [TestCase("chain10", "CHAIN10", true)]
    [TestCase("chain100", "chain10", false)]
    public void Matches_Pattern_MatchesWholeNameWithWildcards(string name, string pattern, bool expected) =>
        Assert.That(SuiteRunner.Matches(name, pattern), Is.EqualTo(expected));

    [Test]
    public void Evaluate_EngineWithinFactorOfBaseline_IsMet()
    {
        var target = WorkloadTarget.AtMostTimesBaseline(1.25);

        Assert.Multiple(() =>
        {
            Assert.That(target.Evaluate(Figure(12_000), Figure(10_000), _ => null), Is.EqualTo(TargetVerdict.Met));
            Assert.That(target.Evaluate(Figure(13_000), Figure(10_000), _ => null), Is.EqualTo(TargetVerdict.Missed));
            Assert.That(target.Evaluate(null, Figure(10_000), _ => null), Is.EqualTo(TargetVerdict.NotMeasured));
        });
    }

    [Test]
    public void Evaluate_CheckpointedAgainstMissingEngineChain10_IsNotMeasured() =>
        Assert.That(
            WorkloadTarget.AtMostTimesEngine(WorkloadNames.Chain10, 1.5).Evaluate(Figure(1_000), null, _ => null),
            Is.EqualTo(TargetVerdict.NotMeasured));

    [Test]
    public void Evaluate_Chain10SqliteTarget_NeedsBothTheTimeAndTheStatementsPerStep()
    {
        var target = WorkloadRegistry.Find(WorkloadNames.Chain10Sqlite)!.Target!;

        Assert.Multiple(() =>
        {
            Assert.That(target.Description, Is.EqualTo("<= 100 us/run, <= 10 statements/step"));
            Assert.That(target.Evaluate(Stored(90_000, 100), null, _ => null), Is.EqualTo(TargetVerdict.Met), "10 statements a step and 90 us");
            Assert.That(target.Evaluate(Stored(90_000, 101), null, _ => null), Is.EqualTo(TargetVerdict.Missed), "10.1 statements a step");
            Assert.That(target.Evaluate(Stored(101_000, 37), null, _ => null), Is.EqualTo(TargetVerdict.Missed), "101 us");
            Assert.That(target.Evaluate(Figure(90_000), null, _ => null), Is.EqualTo(TargetVerdict.NotMeasured), "no store figures");
            Assert.That(target.Evaluate(Figure(101_000), null, _ => null), Is.EqualTo(TargetVerdict.Missed), "too slow whatever the statements");
        });
    }

    private static Measurement Stored(double nanoseconds, double statementsPerRun) =>
        Figure(nanoseconds) with { Store = new StoreFigures(statementsPerRun, 0, 4_000) };

    private static Measurement Figure(double nanoseconds) =>
        new("chain10", "test", MeasureKind.PerRun, nanoseconds, nanoseconds, nanoseconds, 0, null, 1, 1);
}
