using System.Globalization;
using Graph.Engine.Workloads.Measuring;
using Graph.Engine.Workloads.Registry;
using Spectre.Console;
using Spectre.Console.Rendering;
using Measurement = Graph.Engine.Workloads.Measuring.Measurement;

namespace Graph.Cli.Output;

/// <summary>Renders suite results as a Spectre table: one row per workload, plus one per secondary baseline
/// (the other raw baselines and the peer runtimes), each with the engine's ratio to it.</summary>
internal static class BenchTable
{
    public const string NotAvailable = "n/a";

    public static Table Create(IReadOnlyList<WorkloadResult> results)
    {
        var table = new Table()
            .Border(TableBorder.Rounded)
            .AddColumn("workload")
            .AddColumn("engine")
            .AddColumn("baseline")
            .AddColumn(new TableColumn("ratio").RightAligned())
            .AddColumn(new TableColumn("LangGraph.js").RightAligned())
            .AddColumn("target")
            .AddColumn("status");

        foreach (var result in results)
        {
            table.AddRow(
                new Text(result.Entry.Name),
                new Text(result.Engine is { } engine ? Figure(engine) : NotAvailable),
                new Text(result.Baseline is { } baseline ? $"{baseline.Implementation}: {Figure(baseline)}" : NotAvailable),
                new Text(result.Ratio is { } ratio ? Ratio(ratio) : NotAvailable),
                new Text(result.Entry.Peer?.Display ?? string.Empty),
                new Text(result.Entry.Target?.Description ?? string.Empty),
                Status(result.Verdict));

            foreach (var other in result.Baselines.Skip(1))
            {
                table.AddRow(
                    Text.Empty,
                    Text.Empty,
                    new Text($"{other.Implementation}: {Figure(other)}", new Style(Color.Grey)),
                    new Text(result.RatioTo(other) is { } otherRatio ? Ratio(otherRatio) : string.Empty, new Style(Color.Grey)),
                    Text.Empty,
                    Text.Empty,
                    Text.Empty);
            }
        }

        return table;
    }

    /// <summary>"1.36x"; below 0.1, three significant digits ("0.000412x"), so a ratio never shows as zero.</summary>
    internal static string Ratio(double ratio) =>
        (ratio >= 0.1 || ratio == 0 ? ratio.ToString("0.00", CultureInfo.InvariantCulture) : ratio.ToString("G3", CultureInfo.InvariantCulture)) + "x";

    private static string Figure(Measurement measurement) => measurement.Store is { } store
        ? $"{measurement.Headline}, {measurement.Allocation}; store: {store.StatementsPerRun:N1} statements, {store.SyncedCommitsPerRun:N2} synced commits, {store.FileBytesPerRun:N0} file B per run"
        : $"{measurement.Headline}, {measurement.Allocation}";

    private static IRenderable Status(TargetVerdict verdict) => verdict switch
    {
        TargetVerdict.Met => new Markup("[green]met[/]"),
        TargetVerdict.Missed => new Markup("[red]missed[/]"),
        TargetVerdict.NotMeasured => new Markup("[yellow]not measured[/]"),
        _ => Text.Empty,
    };
}
