namespace Graph.Engine.Notebooks.Tests.Runner;

/// <summary>What happened to one cell.</summary>
public enum CellStatus
{
    /// <summary>Executed without error.</summary>
    Ran,

    /// <summary>Skipped by design: markdown, raw, or the build cell.</summary>
    Skipped,

    /// <summary>Failed: see the run's failures.</summary>
    Failed,

    /// <summary>Not run because an earlier cell failed (as in the editor's "Run All", the run stops there).</summary>
    NotRun,
}

/// <summary>The outcome of one cell.</summary>
/// <param name="Number">1-based cell position.</param>
/// <param name="Language">The cell's language.</param>
/// <param name="Status">What happened.</param>
/// <param name="Output">What the kernel reported the cell wrote or displayed (see <c>KernelSubmission.Output</c>); empty for cells not run.</param>
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
