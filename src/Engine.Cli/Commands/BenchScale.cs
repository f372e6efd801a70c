using System.Globalization;
using Graph.Engine.Workloads.Measuring;
using Graph.Engine.Workloads.Scale;
using Spectre.Console;

namespace Graph.Cli.Commands;

/// <summary>
/// <c>graph bench --scale</c>: chain10 at 10, 100, 1,000 and 10,000 concurrent runs beside the hand-wired chain, and
/// the bytes a run holds in flight at 10,000 (<see cref="ChainScale"/>). Prints each level of each round as it is
/// measured, then each level's median round, then the two verdicts (never below 0.8x of the 1,000 figure; at most
/// 300 B per run in flight). Always exits 0: the figures move with the machine's load.
/// </summary>
internal static class BenchScale
{
    public static async Task<int> RunAsync(CliContext context, MeasurementOptions options, CancellationToken cancellationToken)
    {
        var console = context.Out;
        console.MarkupLine(string.Create(
            CultureInfo.InvariantCulture,
            $"[grey]graph bench --scale: chain10 at {string.Join(", ", ChainScale.Levels.Select(l => l.ToString("N0", CultureInfo.InvariantCulture)))} concurrent runs, {Environment.ProcessorCount} core(s), .NET {Environment.Version}[/]"));
        var report = await ChainScale.RunAsync(
            options,
            (round, point) => console.MarkupLine(string.Create(
                CultureInfo.InvariantCulture,
                $"[grey]  round {round}: {point.ConcurrentRuns,7:N0} concurrent  engine {point.Engine.OperationsPerSecond,12:N0} runs/s  hand-wired {point.HandWired.OperationsPerSecond,12:N0} runs/s[/]")),
            cancellationToken).ConfigureAwait(false);

        foreach (var point in report.Points)
        {
            console.MarkupLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {point.ConcurrentRuns,7:N0} concurrent  engine {point.Engine.OperationsPerSecond,12:N0} runs/s {point.Engine.BytesPerOperation,7:N0} B/run  hand-wired {point.HandWired.OperationsPerSecond,12:N0} runs/s  ratio {point.Ratio:F2}x"));
        }

        foreach (var point in report.Points)
        {
            if (report.ShareOfThousand(point) is { } share)
            {
                console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"  {point.ConcurrentRuns,7:N0} concurrent  {share:F2}x the 1,000 figure"));
            }
        }

        console.MarkupLine(string.Create(
            CultureInfo.InvariantCulture,
            $"scaling         never below {ScaleReport.MinShareOfThousand:F1}x the 1,000 figure: {Verdict(report.Scales)}"));
        console.MarkupLine(string.Create(
            CultureInfo.InvariantCulture,
            $"in flight       {report.InFlightBytesPerRun:N0} B per run at {report.InFlightRuns:N0} (limit {ScaleReport.MaxInFlightBytes:N0} B): {Verdict(report.InFlightSmall)}"));
        return ExitCodes.Ok;
    }

    private static string Verdict(bool met) => met ? "[green]met[/]" : "[red]missed[/]";
}
