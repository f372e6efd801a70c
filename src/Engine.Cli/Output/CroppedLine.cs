using Spectre.Console;
using Spectre.Console.Rendering;

namespace Graph.Cli.Output;

/// <summary>
/// One line of markup that never wraps: cut with an ellipsis to one cell less than the width it is given.
/// Used under a live display, which redraws by moving the cursor up as many rows as it wrote: a line the terminal
/// wraps itself (wider than the terminal, or exactly as wide on some terminals) takes more rows than counted and
/// leaves fragments of the progress bars behind.
/// </summary>
/// <param name="markup">The line's markup.</param>
internal sealed class CroppedLine(string markup) : Renderable
{
    private const int Unbounded = 100_000;
    private readonly Markup content = new(markup);

    /// <inheritdoc/>
    protected override Measurement Measure(RenderOptions options, int maxWidth) =>
        new(1, Math.Min(Width(options), Math.Max(1, maxWidth - 1)));

    /// <inheritdoc/>
    protected override IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
    {
        var room = Math.Max(1, maxWidth - 1);
        var line = FirstLine(options);
        if (Segment.CellCount(line) > room)
        {
            line = [.. Segment.Truncate(line, room - 1), new Segment("…")];
        }

        return [.. line, Segment.LineBreak];
    }

    private int Width(RenderOptions options) => Segment.CellCount(FirstLine(options));

    private List<Segment> FirstLine(RenderOptions options) =>
        Segment.SplitLines(((IRenderable)content).Render(options, Unbounded)).FirstOrDefault()?.ToList() ?? [];
}
