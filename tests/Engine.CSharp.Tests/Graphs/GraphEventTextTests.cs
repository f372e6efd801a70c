using Graph.Engine.Graphs;

namespace Graph.Engine.Tests.Graphs;

/// <summary>Events and results print the contents of their states, updates and payloads, never a type name, and bounded.</summary>
public class GraphEventTextTests
{
    public sealed record Doc(string Title, IReadOnlyList<string> Tags);

    [Test]
    public void ToString_TaskFinishedWithARecordUpdate_PrintsTheUpdatesContents()
    {
        var e = new TaskFinishedEvent<Doc>("r1", 2, "count", 0, new Doc("Ozymandias", ["poem", "sonnet"]));

        var text = e.ToString();

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("Result = {\"Title\":\"Ozymandias\",\"Tags\":[\"poem\",\"sonnet\"]}"));
            Assert.That(text, Does.Contain("RunId = r1, Step = 2, Node = count"));
            Assert.That(text, Does.Not.Contain("NodeResult`1"));
        });
    }

    [Test]
    public void ToString_StepFinishedWithACollectionExpression_PrintsTheNodesAndTheState()
    {
        IReadOnlyList<string> state = ["a", "b"];
        var e = new StepFinishedEvent<IReadOnlyList<string>>("r1", 1, state, ["plan", "count"]);

        var text = e.ToString();

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("State = [\"a\",\"b\"]"));
            Assert.That(text, Does.Contain("Nodes = [plan, count]"));
            Assert.That(text, Does.Not.Contain("<>z__").And.Not.Contain("`1"));
        });
    }

    [Test]
    public void ToString_CustomEventAndInterruptWithListValues_PrintTheirContents()
    {
        var custom = new CustomEvent("r1", 1, "n", 0, new List<int> { 1, 2, 3 });
        var interrupt = new GraphInterrupt("1:0:review#0", "review", "1:0:review", InterruptKind.Dynamic, new Doc("Q", []));
        var interrupted = new InterruptedEvent("r1", 1, 7, [interrupt]);

        Assert.Multiple(() =>
        {
            Assert.That(custom.ToString(), Does.Contain("Payload = [1,2,3]"));
            Assert.That(interrupt.ToString(), Does.Contain("Value = {\"Title\":\"Q\",\"Tags\":[]}").And.Contain("Kind = Dynamic"));
            Assert.That(interrupted.ToString(), Does.Contain("CheckpointId = 7").And.Contain("Id = 1:0:review#0"));
            Assert.That(interrupted.ToString(), Does.Not.Contain("`1"));
        });
    }

    [Test]
    public void ToString_NodeResults_PrintNoneTheUpdateOrTheCommand()
    {
        Assert.Multiple(() =>
        {
            Assert.That(NodeResult<Doc>.None.ToString(), Is.EqualTo("none"));
            Assert.That(NodeResult<int>.FromUpdate(5).ToString(), Is.EqualTo("5"));
            Assert.That(
                NodeResult<Doc>.FromCommand(new Command<Doc>(new Doc("d", ["x"]), Route.To("next"))).ToString(),
                Does.StartWith("Command { Update = {\"Title\":\"d\",\"Tags\":[\"x\"]}, Goto = ").And.Contain("next"));
        });
    }

    [Test]
    public void ToString_HugeState_IsBounded()
    {
        var e = new RunFinishedEvent<Doc>("r1", 3, new Doc(new string('x', 100_000), []));

        var text = e.ToString();

        Assert.That(text, Has.Length.LessThan(400));
        Assert.That(text, Does.Contain("…"));
    }

    [Test]
    public void ToString_RunFailed_PrintsTheExceptionTypeAndMessageWithoutItsStack()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("boom");
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

        var text = new RunFailedEvent("r1", 2, thrown).ToString();

        Assert.That(text, Does.Contain("Exception = InvalidOperationException: boom"));
        Assert.That(text, Does.Not.Contain("   at "));
    }

    [Test]
    public async Task ToString_EveryEventOfARealRun_NamesNoGenericTypeOrCompilerType()
    {
        await using var compiled = TestGraphs.Trace()
            .AddNode("a", _ => TestGraphs.Log("a"))
            .AddNode("b", _ => TestGraphs.Log("b"))
            .AddEdge(StateGraph.Start, "a")
            .AddEdge("a", "b")
            .AddEdge("b", StateGraph.End)
            .Compile();

        var events = await TestGraphs.CollectAsync(compiled.StreamAsync([])).WaitAsync(TimeSpan.FromSeconds(30));
        var result = await compiled.RunAsync([]).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(events, Is.Not.Empty);
            foreach (var text in events.Select(e => e.ToString()).Append(result.ToString()))
            {
                Assert.That(text, Does.Not.Contain("`1").And.Not.Contain("<>"), text);
            }

            Assert.That(result.ToString(), Does.Contain("State = [\"a\",\"b\"]"));
        });
    }
}
