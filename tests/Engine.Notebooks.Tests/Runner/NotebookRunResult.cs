namespace Graph.Engine.Notebooks.Tests.Runner;

/// <summary>What happened to one cell.</summary>
public enum CellStatus
{
    /// <summary>Executed without error.</summary>
    Ran,

    /// <summary>Skipped by design: markdown, raw, the build cell, or a Mermaid diagram whose form was checked.</summary>
    Skipped,

    /// <summary>Failed: see the run's failures.</summary>
    Failed,

    /// <summary>Not run because an earlier cell of the same language failed.</summary>
    NotRun,
}

/// <summary>The outcome of one cell.</summary>
/// <param name="Number">1-based cell position.</param>
/// <param name="Language">The cell's language.</param>
/// <param name="Status">What happened.</param>
/// <param name="Output">
/// C#: what the cell passed to <c>display(...)</c>, then its trailing expression's value, one per line.
/// F#: everything the cell wrote to standard output. Empty for skipped cells.
/// </param>
public sealed record CellOutcome(int Number, CellLanguage Language, CellStatus Status, string Output);

/// <summary>A cell failure, phrased the way the notebook test reports it.</summary>
public sealed record CellFailure(string NotebookName, int CellNumber, string Language, string Error)
{
    /// <inheritdoc />
    public override string ToString() => $"notebook {NotebookName}, cell {CellNumber} ({Language}): {Error}";
}

/// <summary>The result of running every cell of a notebook.</summary>
public sealed record NotebookRunResult(Notebook Notebook, IReadOnlyList<CellOutcome> Cells, IReadOnlyList<CellFailure> Failures)
{
    /// <summary>True when no cell failed.</summary>
    public bool Succeeded => Failures.Count == 0;

    /// <summary>The outcome of the cell at 1-based <paramref name="number"/>.</summary>
    public CellOutcome Cell(int number) => Cells.Single(c => c.Number == number);

    /// <summary>All failures, one per line.</summary>
    public string Describe() => string.Join(Environment.NewLine, Failures);
}
