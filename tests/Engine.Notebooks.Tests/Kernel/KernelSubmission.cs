namespace Graph.Engine.Notebooks.Tests.Kernel;

/// <summary>What the kernel reported for one <c>SubmitCode</c> command.</summary>
/// <param name="Succeeded">True when the command ended with <c>CommandSucceeded</c>.</param>
/// <param name="Error">
/// Empty on success; otherwise the <c>CommandFailed</c> message, followed by any <c>ErrorProduced</c> message
/// and error diagnostic it does not already contain.
/// </param>
/// <param name="Output">
/// Everything the cell wrote or displayed, in order: standard output and error as written, then each
/// <c>display(...)</c> value and the trailing expression's value on a line of its own (as <c>text/plain</c> when
/// the kernel formatted one, else the first formatted value, usually <c>text/html</c>).
/// </param>
public sealed record KernelSubmission(bool Succeeded, string Error, string Output);
