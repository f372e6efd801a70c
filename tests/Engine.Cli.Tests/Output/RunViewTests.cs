using Graph.Cli.Output;
using Graph.Engine.Graphs;
using Spectre.Console;

namespace Graph.Cli.Tests.Output;

/// <summary>The run view prints what events carry (payloads, interrupt values), never their type names.</summary>
public class RunViewTests
{
    public sealed record Question(string Text, IReadOnlyList<string> Choices);

    [Test]
    public async Task ShowAsync_ListPayloadAndRecordInterruptValue_PrintsTheirContents()
    {
        GraphEvent[] events =
        [
            new CustomEvent("r1", 1, "count", 0, new List<int> { 21, 27 }),
            new CustomEvent("r1", 1, "count", 1, new string('x', 500)),
            new InterruptedEvent("r1", 2, 4, [new GraphInterrupt("2:0:review#0", "review", "2:0:review", InterruptKind.Dynamic, new Question("Publish?", ["yes", "no"]))]),
        ];
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 1000;

        var outcome = await new RunView(console).ShowAsync(events.ToAsyncEnumerable(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        var text = output.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("count    [21,27]"));
            Assert.That(text, Does.Contain("review asks \"{\"Text\":\"Publish?\",\"Choices\":[\"yes\",\"no\"]}\""));
            Assert.That(text, Does.Not.Contain("`1").And.Not.Contain("<>").And.Not.Contain("Question {"));
            Assert.That(text, Does.Not.Contain(new string('x', 200)), "a long payload is bounded to the engine's 200 characters");
            Assert.That(outcome.Interrupts, Has.Count.EqualTo(1));
        });
    }
}
