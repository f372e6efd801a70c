using System.Globalization;
using System.Text;

namespace Graph.Cli.Cluster;

/// <summary>
/// An append-only file of node side effects shared by the silo processes: one line "thread node silo unix-ms" per node
/// execution, written with a single append (atomic for short lines), so duplicates across processes are visible.
/// </summary>
internal sealed class EffectLog(string path)
{
    public string Path { get; } = path;

    public void Append(string threadId, string node, string silo)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{threadId} {node} {silo} {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}\n");
        using var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        file.Write(Encoding.UTF8.GetBytes(line));
    }

    /// <summary>Whether <paramref name="node"/> already ran (or started) on <paramref name="threadId"/>.</summary>
    public bool Contains(string threadId, string node) => Read().Any(e => e.ThreadId == threadId && e.Node == node);

    public IReadOnlyList<Effect> Read()
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        using var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(file);
        var effects = new List<Effect>();
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split(' ');
            if (parts.Length == 4)
            {
                effects.Add(new Effect(parts[0], parts[1], parts[2], DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[3], CultureInfo.InvariantCulture))));
            }
        }

        return effects;
    }
}

/// <summary>One node execution: thread, node, the silo that ran it and when.</summary>
internal sealed record Effect(string ThreadId, string Node, string Silo, DateTimeOffset At);
