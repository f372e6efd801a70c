using Spectre.Console;

namespace Graph.Cli;

/// <summary>Where a command writes: rich output to <see cref="Out"/>, one-line errors to <see cref="Error"/>.</summary>
/// <param name="Out">The console for normal output (tables, progress).</param>
/// <param name="Error">The writer for error lines (stderr).</param>
internal sealed record CliContext(IAnsiConsole Out, TextWriter Error);
