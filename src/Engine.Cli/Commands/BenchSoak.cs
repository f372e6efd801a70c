using System.Globalization;
using Graph.Engine.Workloads.Soak;
using Spectre.Console;

namespace Graph.Cli.Commands;

/// <summary>
/// <c>graph bench --soak [--runs N] [--in-flight N]</c>: the soak of the benchmark (<see cref="ChainSoak"/>). Prints
/// each heap mark as it is taken, then the growth and the leak checks; exits 1 when the heap grew by more than 10%
/// or something leaked.
/// </summary>
internal static class BenchSoak
{
    public static async Task<int> RunAsync(CliContext context, SoakOptions options, CancellationToken cancellationToken)
    {
        var console = context.Out;
        console.MarkupLine(string.Create(
            CultureInfo.InvariantCulture,
            $"[grey]graph bench --soak: {options.Runs:N0} chain10 runs, {options.InFlight:N0} in flight, {Environment.ProcessorCount} core(s), .NET {Environment.Version}[/]"));
        var report = await ChainSoak.RunAsync(
            options,
            mark => console.MarkupLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {mark.Runs,12:N0} runs  heap {Megabytes(mark.HeapBytes),8:F2} MB  {mark.Elapsed.TotalSeconds,7:F1} s")),
            cancellationToken).ConfigureAwait(false);

        var (before, after) = (report.Before, report.After);
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"runs/s          {report.RunsPerSecond:N0}"));
        console.MarkupLine(string.Create(
            CultureInfo.InvariantCulture,
            $"heap growth     {report.HeapGrowth:+0.0%;-0.0%} from the first mark to the last (limit {SoakOptions.MaxGrowth:0%}): {Verdict(report.HeapFlat, "flat", "GREW")}"));
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"actors          {before.Actors} before, {after.Actors} after"));
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"active timers   {before.Timers} before, {after.Timers} after"));
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"runs in flight  {before.RunsInFlight} before, {after.RunsInFlight} after"));
        console.MarkupLine($"leaks           {Verdict(report.NoLeaks, "none", "LEAKED")}");
        return report.Passed ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static double Megabytes(long bytes) => bytes / (1024.0 * 1024.0);

    private static string Verdict(bool good, string yes, string no) => good ? $"[green]{yes}[/]" : $"[red]{no}[/]";
}
