using System.Globalization;
using Graph.Cli.Demo;
using Graph.Engine.Graphs;
using Spectre.Console;

namespace Graph.Cli.Output;

/// <summary>What a streamed run of the demo graph ended with.</summary>
internal sealed class RunOutcome
{
    /// <summary>The final state, when the run finished.</summary>
    public DemoState? State { get; set; }

    /// <summary>The pending interrupts, when the run stopped at one.</summary>
    public IReadOnlyList<GraphInterrupt> Interrupts { get; set; } = [];

    /// <summary>The checkpoint an interrupted run stopped at.</summary>
    public long? InterruptedAt { get; set; }

    /// <summary>The id of the last checkpoint saved.</summary>
    public long? LastCheckpoint { get; set; }

    public int Steps { get; set; }

    public int Tasks { get; set; }

    public int Checkpoints { get; set; }

    public int Retries { get; set; }

    public bool IsInterrupted => Interrupts.Count > 0;
}

/// <summary>
/// Shows the events of a demo run as they stream: one line per finished task, step, checkpoint, retry and
/// interrupt. On an interactive ANSI terminal a Spectre progress display adds one bar per step (its tasks
/// finished out of started); anywhere else (redirected output, CI, tests) the same lines are written plainly.
/// </summary>
/// <param name="console">Where to write.</param>
internal sealed class RunView(IAnsiConsole console)
{
    /// <summary>Whether live progress bars are used: an interactive terminal that understands ANSI.</summary>
    public bool Live { get; } = console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi;

    public async Task<RunOutcome> ShowAsync(IAsyncEnumerable<GraphEvent> events, CancellationToken cancellationToken)
    {
        var outcome = new RunOutcome();
        if (!Live)
        {
            await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                Handle(e, outcome, null);
            }

            return outcome;
        }

        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = Math.Clamp(console.Profile.Width / 4, 5, 40) }, new SpinnerColumn())
            .StartAsync(async context =>
            {
                var bars = new StepBars(context, console.Profile.Width);
                await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    Handle(e, outcome, bars);
                }
            }).ConfigureAwait(false);
        return outcome;
    }

    private void Handle(GraphEvent e, RunOutcome outcome, StepBars? bars)
    {
        switch (e)
        {
            case TaskStartedEvent started:
                bars?.Started(started.Step, started.Node);
                break;
            case TaskFinishedEvent<DemoUpdate> finished:
                outcome.Tasks++;
                bars?.Finished(finished.Step);
                var what = finished.Result.HasUpdate ? DemoGraph.Describe(finished.Result.Update) : "no update";
                Line($"  step {finished.Step}  [bold]{Markup.Escape(Pad(finished.Node))}[/] {Markup.Escape(what)}");
                break;
            case CustomEvent { Payload: FlakyAttempt { Error: { } error } attempt } custom:
                outcome.Retries++;
                Line($"  step {custom.Step}  [bold]{Markup.Escape(Pad(custom.Node))}[/] [yellow]attempt {attempt.Attempt} failed on instance #{attempt.Instance}: {Markup.Escape(error)}; retrying (RetryPolicy: {DemoGraph.LookupRetry.MaxAttempts} attempts, {DemoGraph.LookupRetry.InitialDelay.TotalMilliseconds:0} ms apart)[/]");
                break;
            case CustomEvent { Payload: FlakyAttempt attempt } custom:
                Line($"  step {custom.Step}  [bold]{Markup.Escape(Pad(custom.Node))}[/] [green]attempt {attempt.Attempt} succeeded on instance #{attempt.Instance}: recovered[/]");
                break;
            case CustomEvent custom:
                Line($"  step {custom.Step}  [bold]{Markup.Escape(Pad(custom.Node))}[/] {Markup.Escape(ValueDisplay.Of(custom.Payload))}");
                break;
            case StepFinishedEvent<DemoState> step:
                outcome.Steps++;
                bars?.Done(step.Step, Nodes(step.Nodes));
                Line($"[blue]step {step.Step} done[/]: {Markup.Escape(Nodes(step.Nodes))}");
                break;
            case CheckpointSavedEvent saved:
                outcome.Checkpoints++;
                outcome.LastCheckpoint = saved.CheckpointId;
                Line($"[grey]  checkpoint {saved.CheckpointId} saved ({saved.Source.ToString().ToLowerInvariant()}, step {saved.Step})[/]");
                break;
            case InterruptedEvent interrupted:
                outcome.Interrupts = interrupted.Interrupts;
                outcome.InterruptedAt = interrupted.CheckpointId;
                bars?.Interrupted(interrupted.Step);
                foreach (var i in interrupted.Interrupts)
                {
                    Line($"[yellow]interrupted at step {interrupted.Step}[/]: [bold]{Markup.Escape(i.Node)}[/] asks \"{Markup.Escape(ValueDisplay.Of(i.Value))}\" (interrupt {Markup.Escape(i.Id)}; the thread waits at checkpoint {interrupted.CheckpointId})");
                }

                break;
            case RunFinishedEvent<DemoState> done:
                outcome.State = done.State;
                Line($"[green]run finished[/] after step {done.Step}");
                break;
            default:
                break;
        }
    }

    /// <summary>One event line; under the live display, cut to the console width so the terminal never wraps it.</summary>
    private void Line(string markup)
    {
        if (Live)
        {
            console.Write(new CroppedLine(markup));
        }
        else
        {
            console.MarkupLine(markup);
        }
    }

    private static string Pad(string node) => node.PadRight(8);

    /// <summary>"count x4, lookup, total": node names in planned order, repeats folded.</summary>
    internal static string Nodes(IReadOnlyList<string> nodes) =>
        nodes.Count == 0
            ? "(no tasks)"
            : string.Join(", ", nodes.GroupBy(n => n, StringComparer.Ordinal)
                .Select(g => g.Count() == 1 ? g.Key : string.Create(CultureInfo.InvariantCulture, $"{g.Key} x{g.Count()}")));

    /// <summary>One progress bar per step: tasks finished out of tasks started.</summary>
    /// <param name="context">The progress display.</param>
    /// <param name="width">The console width: a description takes at most half of it, so a bar's row never wraps.</param>
    private sealed class StepBars(ProgressContext context, int width)
    {
        private readonly Dictionary<int, (ProgressTask Bar, List<string> Nodes)> steps = [];

        public void Started(int step, string node)
        {
            if (!steps.TryGetValue(step, out var entry))
            {
                entry = (context.AddTask($"step {step}", autoStart: true, maxValue: 1), []);
                steps[step] = entry;
            }

            entry.Nodes.Add(node);
            entry.Bar.MaxValue = entry.Nodes.Count;
            entry.Bar.Description = Describe($"step {step}: {Nodes(entry.Nodes)}");
        }

        public void Finished(int step)
        {
            if (steps.TryGetValue(step, out var entry))
            {
                entry.Bar.Increment(1);
            }
        }

        public void Done(int step, string nodes)
        {
            if (steps.TryGetValue(step, out var entry))
            {
                entry.Bar.Description = Describe($"step {step}: {nodes}");
                entry.Bar.Value = entry.Bar.MaxValue;
                entry.Bar.StopTask();
            }
        }

        public void Interrupted(int step)
        {
            if (steps.TryGetValue(step, out var entry))
            {
                entry.Bar.Description = Describe($"step {step}: {Nodes(entry.Nodes)} (interrupted)");
                entry.Bar.StopTask();
            }
        }

        private string Describe(string text)
        {
            var room = Math.Max(8, (width / 2) - 1);
            return Markup.Escape(text.Length <= room ? text : string.Concat(text.AsSpan(0, room - 1), "…"));
        }
    }
}
