using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Graph.Cli.Output;
using Graph.Engine.Workloads;
using Graph.Engine.Workloads.Measuring;
using Graph.Engine.Workloads.Registry;
using Spectre.Console;

namespace Graph.Cli.Commands;

/// <summary>
/// <c>graph bench [--quick] [--json FILE] [--filter NAME]... [--pg CONNECTION]</c>: measures every workload (the engine's
/// where it exists, and the raw baselines in the same process) and prints them beside the LangGraph.js
/// figures and the targets (docs/performance.md). With <c>--soak</c>, the soak instead (<see cref="BenchSoak"/>); with
/// <c>--scale</c>, chain10 at rising concurrency (<see cref="BenchScale"/>); with <c>--cluster</c>, chain10 on an
/// Orleans cluster (<see cref="Cluster.BenchCluster"/>).
/// </summary>
internal static class BenchCommand
{
    public static Command Create(CliContext context)
    {
        var quick = new Option<bool>("--quick") { Description = "Short warmup and few short batches: the whole suite in under a minute." };
        var json = new Option<FileInfo>("--json")
        {
            Description = "Also write the figures as JSON to FILE: { \"workload\": { \"us_per_run\": ..., ... } } for every workload.",
            HelpName = "FILE",
        };
        var filter = new Option<string[]>("--filter")
        {
            Description = "Measure only the workloads whose name matches (repeatable, comma-separated; * is a wildcard).",
            HelpName = "NAME",
            AllowMultipleArgumentsPerToken = true,
        };
        var iterations = new Option<int?>("--iterations")
        {
            Description = "Run exactly N iterations per batch, skipping warmup and calibration (for tests and smoke runs).",
            HelpName = "N",
        };
        iterations.Validators.Add(result => AtLeastOne(result, "--iterations"));
        var batches = new Option<int?>("--batches")
        {
            Description = "Number of timed batches whose median is reported (default 7 with --quick, else 15).",
            HelpName = "N",
        };
        batches.Validators.Add(result => AtLeastOne(result, "--batches"));
        var soak = new Option<bool>("--soak") { Description = "Soak instead: many chain10 runs with a fixed number in flight; prints the heap at 10 marks and the leak checks (exit 1 on growth over 10% or a leak)." };
        var runs = new Option<int?>("--runs") { Description = "Runs of the soak (default 1,000,000).", HelpName = "N" };
        runs.Validators.Add(result => AtLeastOne(result, "--runs"));
        var inFlight = new Option<int?>("--in-flight") { Description = "Runs of the soak kept in flight at once (default 1,000).", HelpName = "N" };
        inFlight.Validators.Add(result => AtLeastOne(result, "--in-flight"));

        var scale = new Option<bool>("--scale") { Description = "Scaling instead: chain10 at 10, 100, 1,000 and 10,000 concurrent runs beside the hand-wired chain, and the bytes per run in flight at 10,000." };

        var cluster = new Option<bool>("--cluster")
        {
            Description = "Cluster throughput instead: chain10 runs/s on 1 and 2 Orleans silo processes, checkpoints and membership in PostgreSQL (--pg, GRAPH_TEST_POSTGRES, else a throwaway server).",
        };

        var pg = new Option<string?>("--pg")
        {
            Description = "A PostgreSQL connection string: adds chain10-postgres (also added when GRAPH_TEST_POSTGRES is set); the database of --cluster.",
            HelpName = "CONNECTION",
        };

        var command = new Command("bench", "Measure the benchmark workloads, the engine beside its raw baselines (see docs/performance.md).")
        {
            quick, json, filter, iterations, batches, soak, runs, inFlight, scale, cluster, pg,
        };
        command.Validators.Add(result =>
        {
            var soaking = result.GetValue(soak);
            if (!soaking && (result.GetResult(runs) is not null || result.GetResult(inFlight) is not null))
            {
                result.AddError("--runs and --in-flight go with --soak.");
            }

            if (soaking && result.GetValue(scale))
            {
                result.AddError("--soak and --scale are separate modes: pass one.");
            }

            if (result.GetValue(cluster) && (soaking || result.GetValue(scale)))
            {
                result.AddError("--cluster is a separate mode: pass it without --soak and --scale.");
            }
        });
        command.SetAction((parsed, cancellationToken) => parsed.GetValue(soak)
            ? BenchSoak.RunAsync(context, Soak(parsed.GetValue(runs), parsed.GetValue(inFlight)), cancellationToken)
            : parsed.GetValue(cluster)
            ? Cluster.BenchCluster.RunAsync(context, parsed.GetValue(pg), parsed.GetValue(quick), cancellationToken)
            : parsed.GetValue(scale)
            ? BenchScale.RunAsync(context, Options(parsed.GetValue(quick), parsed.GetValue(iterations), parsed.GetValue(batches)), cancellationToken)
            : RunAsync(
            context,
            parsed.GetValue(quick),
            parsed.GetValue(json),
            parsed.GetValue(filter) ?? [],
            parsed.GetValue(iterations),
            parsed.GetValue(batches),
            parsed.GetValue(pg) ?? Environment.GetEnvironmentVariable("GRAPH_TEST_POSTGRES"),
            cancellationToken));
        return command;
    }

    private static Engine.Workloads.Soak.SoakOptions Soak(int? runs, int? inFlight)
    {
        var options = new Engine.Workloads.Soak.SoakOptions();
        options = options with { Runs = runs ?? options.Runs, InFlight = inFlight ?? options.InFlight };
        return options with { Marks = Math.Min(options.Marks, options.Runs) };
    }

    private static MeasurementOptions Options(bool quick, int? iterations, int? batches)
    {
        var options = (quick ? MeasurementOptions.Quick : MeasurementOptions.Default) with { Iterations = iterations };
        if (batches is { } count)
        {
            options = options with { Batches = count };
        }

        if (iterations is not null)
        {
            options = options with { IdleInstances = Math.Min(options.IdleInstances, 100), IdleRounds = 1 };
        }

        return options;
    }

    // Reads the token itself: a value that is not an int is already reported by the parser.
    private static void AtLeastOne(OptionResult result, string name)
    {
        if (result.Tokens is [var token] && int.TryParse(token.Value, CultureInfo.InvariantCulture, out var value) && value < 1)
        {
            result.AddError($"{name} must be at least 1, not {value}.");
        }
    }

    private static async Task<int> RunAsync(
        CliContext context,
        bool quick,
        FileInfo? json,
        string[] filters,
        int? iterations,
        int? batches,
        string? postgres,
        CancellationToken cancellationToken)
    {
        var patterns = filters
            .SelectMany(f => f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        IReadOnlyList<WorkloadEntry> registry = string.IsNullOrWhiteSpace(postgres) ? WorkloadRegistry.All : [.. WorkloadRegistry.All, WorkloadRegistry.Postgres(postgres)];
        var entries = SuiteRunner.Select(registry, patterns);
        if (entries.Count == 0)
        {
            throw new CliException(
                ExitCodes.Usage,
                $"no workload matches '{string.Join(", ", patterns)}'; known: {string.Join(", ", WorkloadNames.All)}.");
        }

        if (json?.Directory is { Exists: false } folder)
        {
            throw new CliException(ExitCodes.FileError, $"cannot write '{json.FullName}': folder '{folder.FullName}' not found.");
        }

        var options = Options(quick, iterations, batches);
        var console = context.Out;
        console.MarkupLine($"[grey]graph bench: {entries.Count} workload(s), {(quick ? "quick" : "full")} mode, {Environment.ProcessorCount} core(s), .NET {Environment.Version}[/]");
        var results = await SuiteRunner.RunAsync(
            entries,
            options,
            workload => console.MarkupLine($"[grey]  measuring {Markup.Escape(workload.ToString())}[/]"),
            cancellationToken).ConfigureAwait(false);

        console.Write(BenchTable.Create(results));
        if (json is not null)
        {
            try
            {
                await File.WriteAllTextAsync(json.FullName, BenchJson.Serialize(results), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException(ExitCodes.FileError, $"cannot write '{json.FullName}': {e.Message}");
            }

            console.MarkupLine($"[grey]wrote {Markup.Escape(json.FullName)}[/]");
        }

        return ExitCodes.Ok;
    }
}
