using System.Text;
using System.Text.Json;
using Graph.Engine.Workloads;
using Graph.Engine.Workloads.Measuring;
using Graph.Engine.Workloads.Registry;

namespace Graph.Cli.Output;

/// <summary>
/// Writes suite results as <c>{ "workload": { "us_per_run": ..., "bytes_per_run": ..., "runs_per_s": ...,
/// "baseline_us_per_run": ..., ... } }</c> with every workload name of <see cref="WorkloadNames.All"/> as a key and every
/// field present (null where not measured), so files from different versions compare key by key.
/// </summary>
internal static class BenchJson
{
    public static string Serialize(IReadOnlyList<WorkloadResult> results)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            foreach (var name in WorkloadNames.All)
            {
                var result = results.FirstOrDefault(r => r.Entry.Name == name);
                var entry = result?.Entry ?? WorkloadRegistry.Find(name);
                writer.WriteStartObject(name);
                WriteFigures(writer, string.Empty, result?.Engine);
                WriteFigures(writer, "baseline_", result?.Baseline);
                WriteString(writer, "baseline", result?.Baseline?.Implementation);
                WriteNumber(writer, "ratio", result?.Ratio);
                WriteNumber(writer, "langgraph_us_per_run", entry?.Peer is { Kind: MeasureKind.PerRun } perRun ? perRun.Value : null);
                WriteNumber(writer, "langgraph_runs_per_s", entry?.Peer is { Kind: MeasureKind.Throughput } throughput ? throughput.Value : null);
                WriteString(writer, "target", entry?.Target?.Description);
                writer.WritePropertyName("target_met");
                switch (result?.Verdict)
                {
                    case TargetVerdict.Met: writer.WriteBooleanValue(true); break;
                    case TargetVerdict.Missed: writer.WriteBooleanValue(false); break;
                    default: writer.WriteNullValue(); break;
                }

                writer.WriteStartObject("baselines");
                foreach (var baseline in result?.Baselines ?? [])
                {
                    writer.WriteStartObject(baseline.Implementation);
                    WriteFigures(writer, string.Empty, baseline);
                    WriteNumber(writer, "ratio", result!.RatioTo(baseline));
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteFigures(Utf8JsonWriter writer, string prefix, Measurement? m)
    {
        var perRun = m is { Kind: MeasureKind.PerRun or MeasureKind.Throughput };
        var perMessage = m is { Kind: MeasureKind.PerMessage };
        WriteNumber(writer, prefix + "us_per_run", perRun ? m!.MicrosecondsPerOperation : null);
        WriteNumber(writer, prefix + "bytes_per_run", perRun ? m!.BytesPerOperation : null);
        WriteNumber(writer, prefix + "runs_per_s", perRun ? m!.OperationsPerSecond : null);
        WriteNumber(writer, prefix + "ns_per_msg", perMessage ? m!.NanosecondsPerOperation : null);
        WriteNumber(writer, prefix + "bytes_per_msg", perMessage ? m!.BytesPerOperation : null);
        WriteNumber(writer, prefix + "bytes_per_actor", m?.RetainedBytesPerInstance);
        WriteNumber(writer, prefix + "store_statements_per_run", m?.Store?.StatementsPerRun);
        WriteNumber(writer, prefix + "store_synced_commits_per_run", m?.Store?.SyncedCommitsPerRun);
        WriteNumber(writer, prefix + "store_file_bytes_per_run", m?.Store?.FileBytesPerRun);
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number && double.IsFinite(number))
        {
            writer.WriteNumber(name, Round(number));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>
    /// Rounds to 3 decimals, or to 4 significant digits when that keeps more (a small ratio such as 0.0004 stays
    /// non-zero): a measured figure is never rounded to zero.
    /// </summary>
    internal static double Round(double value)
    {
        if (value == 0 || !double.IsFinite(value))
        {
            return value;
        }

        var magnitude = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        return Math.Round(value, Math.Clamp(3 - magnitude, 3, 15));
    }

    private static void WriteString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
