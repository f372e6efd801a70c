using System.Globalization;
using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;

namespace Graph.Cli.Demo;

/// <summary>
/// The showcase graph of <c>graph demo</c> (and the one <c>graph resume</c> can rebuild): a word count over a few
/// documents. <c>plan</c> fans out one <c>count</c> task per document with <c>Send</c> (map), <c>total</c> and the
/// flaky <c>lookup</c> run in parallel (reduce), a join waits for both, <c>review</c> interrupts for a human answer,
/// and a router sends the run to <c>publish</c> or <c>discard</c>.
/// </summary>
internal static class DemoGraph
{
    public const string Plan = "plan";
    public const string Count = "count";
    public const string Total = "total";
    public const string Lookup = "lookup";
    public const string Review = "review";
    public const string Publish = "publish";
    public const string Discard = "discard";

    /// <summary>The stored state type name of demo threads (<see cref="Checkpoint.StateType"/>).</summary>
    public static readonly string StateTypeName = Checkpoint.StateTypeNameOf(typeof(DemoState));

    /// <summary>The retry policy of the flaky node: up to 3 attempts, 200 ms apart, only for outages.</summary>
    public static readonly RetryPolicy LookupRetry = new()
    {
        MaxAttempts = 3,
        InitialDelay = TimeSpan.FromMilliseconds(200),
        Jitter = false,
        ShouldRetry = e => e is IOException,
    };

    /// <summary>The corpus <c>plan</c> loads.</summary>
    public static readonly IReadOnlyList<DemoDocument> Corpus =
    [
        new("The Raven", "Once upon a midnight dreary, while I pondered, weak and weary, over many a quaint and curious volume of forgotten lore"),
        new("Ozymandias", "I met a traveller from an antique land who said: two vast and trunkless legs of stone stand in the desert"),
        new("The Tyger", "Tyger Tyger, burning bright, in the forests of the night; what immortal hand or eye could frame thy fearful symmetry?"),
        new("Daffodils", "I wandered lonely as a cloud that floats on high o'er vales and hills, when all at once I saw a crowd, a host, of golden daffodils"),
    ];

    /// <summary>The input of a demo run: an empty state.</summary>
    public static DemoState Input => new();

    /// <summary>Builds the graph definition (each call gets its own flaky-node instance numbering).</summary>
    /// <param name="workDelay">How long each <c>count</c> task pretends to work (so the progress is visible).</param>
    public static StateGraph<DemoState, DemoUpdate> Build(TimeSpan workDelay)
    {
        var instances = new int[1];
        return new StateGraph<DemoState, DemoUpdate>(DemoUpdate.Apply)
            .AddNode(Plan, _ => new DemoUpdate { Documents = Corpus })
            .AddWorker<DemoDocument>(
                Count,
                async (document, context) =>
                {
                    await Task.Delay(workDelay, context.CancellationToken).ConfigureAwait(false);
                    return new DemoUpdate { Title = document.Title, Words = CountWords(document.Text) };
                },
                new NodeOptions { MaxParallelism = NodeOptions.Unbounded })
            .AddNode(Total, s => new DemoUpdate { TotalWords = s.WordCounts.Values.Sum() })
            .AddNode(Lookup, () => new FlakyNode(Interlocked.Increment(ref instances[0])), new NodeOptions { Retry = LookupRetry })
            .AddNode(Review, (s, context) => new DemoUpdate { Decision = Normalize(context.Interrupt<string>(Question(s))) })
            .AddNode(Publish, s => new DemoUpdate { Report = Report(s) })
            .AddNode(Discard, s => new DemoUpdate { Report = $"not published (the reviewer answered '{s.Decision}')" })
            .AddEdge(StateGraph.Start, Plan)
            .AddConditionalEdges(Plan, s => Route.Sends(s.Documents.Select(d => Send.To(Count, d))), Count)
            .AddEdge(Count, Total)
            .AddEdge(Count, Lookup)
            .AddJoin([Total, Lookup], Review)
            .AddConditionalEdges(Review, s => s.Decision == "yes" ? Publish : Discard, Publish, Discard)
            .AddEdge(Publish, StateGraph.End)
            .AddEdge(Discard, StateGraph.End);
    }

    /// <summary>The question <c>review</c> asks.</summary>
    public static string Question(DemoState state) =>
        string.Create(CultureInfo.InvariantCulture, $"Publish the report on {state.WordCounts.Count} documents ({state.TotalWords} words, {state.Language ?? "unknown language"})? yes/no");

    /// <summary>"yes" for yes, y or true (any case); otherwise the trimmed answer in lower case.</summary>
    public static string Normalize(string? answer)
    {
        var trimmed = (answer ?? string.Empty).Trim().ToLowerInvariant();
        return trimmed is "y" or "yes" or "true" ? "yes" : trimmed;
    }

    /// <summary>The published report.</summary>
    public static string Report(DemoState state) =>
        string.Create(CultureInfo.InvariantCulture, $"{state.TotalWords} words in {state.WordCounts.Count} documents ({state.Language}): ")
        + string.Join(", ", state.WordCounts.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value}")));

    /// <summary>A short description of an update, for progress lines.</summary>
    public static string Describe(DemoUpdate update) => update switch
    {
        { Documents: { } documents } => $"{documents.Count} documents to count",
        { Title: { } title, Words: { } words } => string.Create(CultureInfo.InvariantCulture, $"'{title}': {words} words"),
        { TotalWords: { } total } => string.Create(CultureInfo.InvariantCulture, $"{total} words in all"),
        { Language: { } language } => $"language {language}",
        { Decision: { } decision } => $"decision '{decision}'",
        { Report: { } report } => $"report: {report}",
        _ => "no change",
    };

    private static int CountWords(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
}
