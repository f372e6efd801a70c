namespace Graph.Cli.Demo;

/// <summary>One document of the demo corpus: the argument of a <c>count</c> task.</summary>
/// <param name="Title">The title.</param>
/// <param name="Text">The text whose words are counted.</param>
internal sealed record DemoDocument(string Title, string Text);

/// <summary>The demo graph's state, stored as JSON in every checkpoint.</summary>
internal sealed record DemoState
{
    /// <summary>The documents to count (set by <c>plan</c>).</summary>
    public IReadOnlyList<DemoDocument> Documents { get; init; } = [];

    /// <summary>Words per document title, in send order (one entry per <c>count</c> task).</summary>
    public IReadOnlyDictionary<string, int> WordCounts { get; init; } = new Dictionary<string, int>();

    /// <summary>The sum of <see cref="WordCounts"/> (set by <c>total</c>).</summary>
    public int TotalWords { get; init; }

    /// <summary>The corpus language (set by the flaky <c>lookup</c> node).</summary>
    public string? Language { get; init; }

    /// <summary>The reviewer's answer to the interrupt (set by <c>review</c>).</summary>
    public string? Decision { get; init; }

    /// <summary>The final report (set by <c>publish</c> or <c>discard</c>).</summary>
    public string? Report { get; init; }
}

/// <summary>An update of the demo graph: every field that is set replaces (or, for a count, adds to) the state's.</summary>
internal sealed record DemoUpdate
{
    /// <summary>The documents to count.</summary>
    public IReadOnlyList<DemoDocument>? Documents { get; init; }

    /// <summary>A document's title, with <see cref="Words"/>.</summary>
    public string? Title { get; init; }

    /// <summary>The number of words of <see cref="Title"/>.</summary>
    public int? Words { get; init; }

    /// <summary>The total.</summary>
    public int? TotalWords { get; init; }

    /// <summary>The language.</summary>
    public string? Language { get; init; }

    /// <summary>The reviewer's answer.</summary>
    public string? Decision { get; init; }

    /// <summary>The report.</summary>
    public string? Report { get; init; }

    /// <summary>The reducer: folds one update into the state.</summary>
    public static DemoState Apply(DemoState state, DemoUpdate update)
    {
        var counts = state.WordCounts;
        if (update.Title is { } title && update.Words is { } words)
        {
            counts = new Dictionary<string, int>(state.WordCounts) { [title] = words };
        }

        return state with
        {
            Documents = update.Documents ?? state.Documents,
            WordCounts = counts,
            TotalWords = update.TotalWords ?? state.TotalWords,
            Language = update.Language ?? state.Language,
            Decision = update.Decision ?? state.Decision,
            Report = update.Report ?? state.Report,
        };
    }
}
