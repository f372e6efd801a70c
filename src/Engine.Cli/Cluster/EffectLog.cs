using System.Globalization;
using System.Text;

namespace Graph.Cli.Cluster;

/// <summary>
/// Append-only logs of node side effects in one folder: one line "thread node silo unix-ms" per node execution. Each
/// process appends to its own file (appends from several processes to one file could overwrite each other), under a
/// lock (nodes run in parallel); reading merges the files, so duplicates across processes are visible.
/// </summary>
internal sealed class EffectLog(string folder)
{
    private readonly Lock gate = new();

    /// <summary>The folder of the logs.</summary>
    public string Path { get; } = folder;

    private string Own => System.IO.Path.Combine(Path, $"effects.{Environment.ProcessId}.log");

    public void Append(string threadId, string node, string silo)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{threadId} {node} {silo} {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}\n");
        lock (gate)
        {
            using var file = new FileStream(Own, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            file.Write(Encoding.UTF8.GetBytes(line));
        }
    }

    /// <summary>Whether <paramref name="node"/> already ran (or started) on <paramref name="threadId"/>.</summary>
    public bool Contains(string threadId, string node) => Read().Any(e => e.ThreadId == threadId && e.Node == node);

    /// <summary>Every process's effects, in time order.</summary>
    public IReadOnlyList<Effect> Read()
    {
        var effects = new List<Effect>();
        foreach (var log in Directory.Exists(Path) ? Directory.GetFiles(Path, "effects.*.log") : [])
        {
            using var file = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(file);
            while (reader.ReadLine() is { } line)
            {
                var parts = line.Split(' ');
                if (parts.Length == 4 && long.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var at))
                {
                    effects.Add(new Effect(parts[0], parts[1], parts[2], DateTimeOffset.FromUnixTimeMilliseconds(at)));
                }
            }
        }

        return [.. effects.OrderBy(e => e.At)];
    }
}

/// <summary>One node execution: thread, node, the silo that ran it and when.</summary>
internal sealed record Effect(string ThreadId, string Node, string Silo, DateTimeOffset At);
