using System.CommandLine;
using System.CommandLine.Parsing;

namespace Graph.Cli;

/// <summary>
/// Turns System.CommandLine's parse errors into one line: each unrecognized option or command named, with the
/// closest known name as a suggestion ("Unrecognized option '--tread'. Did you mean '--thread'?"), then the other
/// errors ("Option '--db' is required.").
/// </summary>
/// <remarks>
/// System.CommandLine 3.0.0 offers typo corrections through <c>ParseErrorAction.ShowTypoCorrections</c>, which
/// writes several lines of its own to the output (and suggests <c>-h</c> for any short stray value); the command
/// keeps failures to one stderr line, so it picks the suggestion itself from the same candidates: the options and
/// subcommands of the command being parsed.
/// </remarks>
internal static class UsageError
{
    public static string Describe(ParseResult parsed, IReadOnlyList<string> args)
    {
        var command = parsed.CommandResult.Command;
        var unmatched = parsed.UnmatchedTokens;
        var messages = new List<string>();
        string? previous = null;
        foreach (var token in args)
        {
            var stray = unmatched.Contains(token, StringComparer.Ordinal);
            if (stray && !(IsOption(previous) && !IsOption(token)))
            {
                messages.Add(Unrecognized(token, command));
            }

            previous = stray ? token : null;
        }

        foreach (var error in parsed.Errors)
        {
            var aboutToken = error.SymbolResult is CommandResult
                && unmatched.Any(t => error.Message.Contains($"'{t}'", StringComparison.Ordinal));
            var requiredCommand = error.SymbolResult is CommandResult && !aboutToken;
            if (aboutToken || (requiredCommand && unmatched.Count > 0))
            {
                continue;
            }

            messages.Add(error.Message.Trim());
        }

        return string.Join(' ', messages.Distinct(StringComparer.Ordinal)) + $" Try '{CommandPath(parsed.CommandResult)} --help'.";
    }

    /// <summary>The closest name within the edit distance a typo makes, or null.</summary>
    internal static string? Suggest(string token, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(token.ToLowerInvariant(), candidate.ToLowerInvariant());
            var allowed = Math.Max(1, candidate.TrimStart('-').Length / 3);
            if (distance <= allowed && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    private static string Unrecognized(string token, Command command)
    {
        if (IsOption(token))
        {
            var names = command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal));
            return WithSuggestion($"Unrecognized option '{token}'.", Suggest(token, names));
        }

        var commands = command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Prepend(c.Name)).ToList();
        return commands.Count == 0
            ? $"Unexpected argument '{token}'."
            : WithSuggestion($"Unrecognized command '{token}'.", Suggest(token, commands));
    }

    private static string WithSuggestion(string message, string? suggestion) =>
        suggestion is null ? message : $"{message} Did you mean '{suggestion}'?";

    private static bool IsOption(string? token) => token is { Length: > 1 } && token[0] == '-';

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is CommandResult { Command: not RootCommand } c)
            {
                names.Insert(0, c.Command.Name);
            }
        }

        return string.Join(' ', names.Prepend("graph"));
    }

    /// <summary>Edit distance counting an insertion, deletion, substitution or swap of neighbours as one.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
