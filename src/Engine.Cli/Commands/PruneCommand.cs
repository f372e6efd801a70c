using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Graph.Cli.Store;
using Graph.Engine.Checkpoints;
using Spectre.Console;

namespace Graph.Cli.Commands;

/// <summary>
/// <c>graph prune --db F [--keep N] [--max-bytes 64m] [--older-than 7d] [--idle 30d] [--dry-run]</c>: applies a retention policy
/// (<see cref="CheckpointRetention"/>); every thread keeps its latest checkpoint unless it is idle past <c>--idle</c>.
/// </summary>
internal static class PruneCommand
{
    public static Command Create(CliContext context)
    {
        var db = CommonOptions.Database();
        var keyFile = CommonOptions.KeyFile();
        var keep = new Option<int?>("--keep")
        {
            Description = "Keep the newest N checkpoints of each thread.",
            HelpName = "N",
            CustomParser = result => (int?)CommonOptions.PositiveLong(result, "--keep", "a positive number", int.MaxValue),
        };
        var maxBytes = new Option<long?>("--max-bytes")
        {
            Description = "Keep each thread's newest checkpoints within this many bytes (1048576, 512k, 64m, 2g); each thread keeps its latest.",
            HelpName = "SIZE",
            CustomParser = result => Size(result, "--max-bytes"),
        };
        var olderThan = new Option<TimeSpan?>("--older-than")
        {
            Description = "Delete checkpoints older than this (30s, 15m, 12h, 7d, 2w); each thread keeps its latest.",
            HelpName = "AGE",
            CustomParser = result => Age(result, "--older-than"),
        };
        var idle = new Option<TimeSpan?>("--idle")
        {
            Description = "Delete whole threads whose latest checkpoint is older than this.",
            HelpName = "AGE",
            CustomParser = result => Age(result, "--idle"),
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be deleted; delete nothing." };
        var command = new Command("prune", "Delete old checkpoints and idle threads of a checkpoint database.") { db, keep, maxBytes, olderThan, idle, dryRun, keyFile };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            context,
            parsed.GetRequiredValue(db),
            new RetentionPolicy { KeepLast = parsed.GetValue(keep), MaxBytesPerThread = parsed.GetValue(maxBytes), MaxAge = parsed.GetValue(olderThan), IdleThreadTtl = parsed.GetValue(idle) },
            parsed.GetValue(dryRun),
            parsed.GetValue(keyFile),
            cancellationToken));
        return command;
    }

    /// <summary>Parses a byte count: <c>1048576</c>, or a number with <c>k</c>, <c>m</c> or <c>g</c> (powers of 1,024).</summary>
    internal static long? Size(ArgumentResult result, string name)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        var (digits, unit) = token.Length > 0 && char.IsAsciiLetter(token[^1])
            ? (token[..^1], char.ToLowerInvariant(token[^1]) switch { 'k' => 1L << 10, 'm' => 1L << 20, 'g' => 1L << 30, _ => 0L })
            : (token, 1L);
        if (unit > 0
            && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count >= 1 && count <= long.MaxValue / unit)
        {
            return count * unit;
        }

        result.AddError($"{name} must be a positive number of bytes, optionally followed by k, m or g (such as 64m), not '{token}'.");
        return null;
    }

    /// <summary>Parses <c>30s</c>, <c>15m</c>, <c>12h</c>, <c>7d</c> or <c>2w</c>.</summary>
    internal static TimeSpan? Age(ArgumentResult result, string name)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (token.Length >= 2
            && long.TryParse(token.AsSpan(0, token.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count is >= 1 and <= 100_000)
        {
            TimeSpan? age = token[^1] switch
            {
                's' => TimeSpan.FromSeconds(count),
                'm' => TimeSpan.FromMinutes(count),
                'h' => TimeSpan.FromHours(count),
                'd' => TimeSpan.FromDays(count),
                'w' => TimeSpan.FromDays(7 * count),
                _ => null,
            };
            if (age is not null)
            {
                return age;
            }
        }

        result.AddError($"{name} must be a positive number followed by s, m, h, d or w (such as 7d), not '{token}'.");
        return null;
    }

    private static async Task<int> RunAsync(CliContext context, StoreLocation db, RetentionPolicy policy, bool dryRun, FileInfo? keyFile, CancellationToken cancellationToken)
    {
        if (policy is { KeepLast: null, MaxBytesPerThread: null, MaxAge: null, IdleThreadTtl: null })
        {
            throw new CliException(ExitCodes.Usage, "prune needs at least one of --keep, --max-bytes, --older-than and --idle.");
        }

        await using var opened = await CheckpointStores.OpenExistingAsync(db, cancellationToken, keyFile).ConfigureAwait(false);
        var store = opened.Store;
        var result = await CheckpointRetention.ApplyAsync(store, policy, TimeProvider.System, dryRun, cancellationToken).ConfigureAwait(false);
        var verb = dryRun ? "would delete" : "deleted";
        context.Out.MarkupLine(Markup.Escape(
            $"{verb} {result.CheckpointsDeleted} checkpoint(s) of {result.ThreadsScanned} thread(s) in {db.Display}"
            + (result.ThreadsDeleted.Count > 0 ? $"; idle threads {verb}: {string.Join(", ", result.ThreadsDeleted)}" : string.Empty)));
        if (!dryRun && result.CheckpointsDeleted > 0)
        {
            context.Out.MarkupLine($"[grey]{Markup.Escape($"run 'graph compact --db {db.Argument}' to return the freed space to the file system")}[/]");
        }

        return ExitCodes.Ok;
    }
}
