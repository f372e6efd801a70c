using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Graph.Engine.Benchmarks;

/// <summary>
/// ShortRun-like job (3 warmups, 3 targets, 1 launch) on the in-process emit toolchain, so the suite is
/// fast on 2 cores and needs no generated project; with the memory diagnoser and the baseline ratio.
/// </summary>
public sealed class QuickConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public QuickConfig()
    {
        AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortRun-InProcess"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(BaselineRatioColumn.RatioMean);
        WithOptions(ConfigOptions.DisableOptimizationsValidator);
        SummaryStyle = BenchmarkDotNet.Reports.SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend);
    }
}
