using Graph.Cli.Commands;
using Graph.Cli.Output;
using Graph.Engine.Graphs;
using Graph.Engine.Checkpoints;
using Spectre.Console;

namespace Graph.Cli.Demo;

/// <summary>Runs (or resumes) the demo graph on a checkpoint store, streaming its events to a <see cref="RunView"/>.</summary>
internal sealed class DemoRunner : IAsyncDisposable
{
    /// <summary>How long each <c>count</c> task works, so the fan-out is visible.</summary>
    public static readonly TimeSpan WorkDelay = TimeSpan.FromMilliseconds(100);

    private readonly IAnsiConsole console;
    private readonly RunView view;

    public DemoRunner(IAnsiConsole console, ICheckpointer store, string dbArgument)
    {
        this.console = console;
        view = new RunView(console);
        DbArgument = dbArgument;
        Graph = DemoGraph.Build(WorkDelay).Compile(new GraphCompileOptions { Checkpointer = store });
    }

    /// <summary>The store as a <c>--db</c> value, for the commands the runner suggests.</summary>
    public string DbArgument { get; }

    public CompiledGraph<DemoState, DemoUpdate> Graph { get; }

    /// <summary>Steps, tasks, retries and checkpoints of every run shown so far.</summary>
    public RunOutcome Totals { get; } = new();

    public Task<RunOutcome> StartAsync(string threadId, CancellationToken cancellationToken) =>
        ShowAsync(threadId, Graph.StreamAsync(DemoGraph.Input, new RunOptions { ThreadId = threadId }, cancellationToken), cancellationToken);

    public Task<RunOutcome> ResumeAsync(string threadId, Resume resume, CancellationToken cancellationToken) =>
        ShowAsync(threadId, Graph.StreamResumeAsync(threadId, resume, null, cancellationToken), cancellationToken);

    /// <summary>Prints the outcome: the result, or how to answer the pending interrupt.</summary>
    public void WriteResult(RunOutcome outcome, string threadId)
    {
        console.Write(new Rule("[bold]result[/]").LeftJustified());
        if (outcome.State is { } state)
        {
            CommonOptions.Field(console, "report", state.Report ?? "(none)");
            CommonOptions.Field(console, "decision", state.Decision ?? "(none)");
            CommonOptions.Field(console, "words", string.Join(", ", state.WordCounts.Select(p => $"{p.Key}: {p.Value}")));
        }
        else if (outcome.IsInterrupted)
        {
            var question = ValueDisplay.Of(outcome.Interrupts[0].Value);
            CommonOptions.Field(console, "waiting", $"{outcome.Interrupts[0].Node} asks \"{question}\" (checkpoint {outcome.InterruptedAt})");
            CommonOptions.Field(console, "answer", $"graph resume --db {DbArgument} --thread {threadId} --value yes");
        }

        CommonOptions.Field(console, "run", $"{Totals.Steps} steps, {Totals.Tasks} tasks, {Totals.Retries} retried attempt(s), {Totals.Checkpoints} checkpoints");
    }

    public ValueTask DisposeAsync() => Graph.DisposeAsync();

    private async Task<RunOutcome> ShowAsync(string threadId, IAsyncEnumerable<GraphEvent> events, CancellationToken cancellationToken)
    {
        RunOutcome outcome;
        try
        {
            outcome = await view.ShowAsync(events, cancellationToken).ConfigureAwait(false);
        }
        catch (NodeFailedException e)
        {
            throw new CliException(
                ExitCodes.Failure,
                $"the demo run failed: {e.Message} Thread '{threadId}' stays resumable: graph resume --db {DbArgument} --thread {threadId}");
        }

        Totals.Steps += outcome.Steps;
        Totals.Tasks += outcome.Tasks;
        Totals.Retries += outcome.Retries;
        Totals.Checkpoints += outcome.Checkpoints;
        return outcome;
    }
}
