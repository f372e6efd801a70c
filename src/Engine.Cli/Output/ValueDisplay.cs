using Graph.Engine.Graphs;

namespace Graph.Cli.Output;

/// <summary>
/// A value an event carries (a custom payload, an interrupt's value) as one readable line, rendered as the engine's
/// events render values (<see cref="ValueText"/>) with line breaks folded into spaces.
/// </summary>
internal static class ValueDisplay
{
    public static string Of(object? value) =>
        string.Join(' ', ValueText.Format(value).Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
