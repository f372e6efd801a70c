using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs;

public class KeyedStateSchemaTests
{
    private static readonly KeyedStateSchema Schema = new KeyedStateSchema()
        .LastValue<string>("name")
        .Reducer("total", Reducers.Sum<int>(), 0)
        .Reducer<IReadOnlyList<string>>("log", Reducers.Append<string>(), [])
        .Topic<string>("inbox")
        .Topic<string>("history", accumulate: true)
        .Ephemeral<string>("flash");

    private static NodeUpdate<KeyedUpdate> U(string node, int index, KeyedUpdate update) => new(node, 1, index, update);

    [Test]
    public void Reduce_LastValueWrittenTwiceInOneStep_FailsNamingKeyAndNodes()
    {
        var ex = Assert.Throws<InvalidUpdateException>(() => Schema.Reduce(
            Schema.CreateState(),
            [U("a", 0, KeyedUpdate.Of("name", "x")), U("b", 1, KeyedUpdate.Of("name", "y"))]));

        Assert.That(ex!.Message, Is.EqualTo("Key 'name' is a last-value key and received 2 writes in step 1 (from 'a', 'b'); use a reducer or topic key to accept several."));
        Assert.That(ex.Key, Is.EqualTo("name"));
        Assert.That(ex.Nodes, Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public void Reduce_EveryKeyKind_ProducesTheExactState()
    {
        var s0 = Schema.CreateState().With("name", "start");
        var s1 = Schema.Reduce(s0,
        [
            U("a", 0, KeyedUpdate.Of("total", 2).Set("log", new[] { "a" }).Set("inbox", "m1").Set("history", "h1").Set("flash", "hi")),
            U("b", 1, KeyedUpdate.Of("total", 3).Set("log", new[] { "b" }).Set("inbox", new[] { "m2", "m3" }).Set("history", "h2")),
        ]);
        Assert.That(s1.ToString(), Is.EqualTo("{flash=hi, history=[h1, h2], inbox=[m1, m2, m3], log=[a, b], name=start, total=5}"));

        var s2 = Schema.Reduce(s1, [U("c", 0, KeyedUpdate.Of("history", "h3").Set("name", "c"))]);
        Assert.That(s2.ToString(), Is.EqualTo("{history=[h1, h2, h3], log=[a, b], name=c, total=5}"));
        Assert.That(s2.Get<IReadOnlyList<string>>("inbox"), Is.Empty);
        Assert.That(s2.Get<string?>("flash"), Is.Null);
        Assert.That(s2.Contains("flash"), Is.False);

        var s3 = Schema.Reduce(s2, []);
        Assert.That(s3.ToString(), Is.EqualTo("{history=[h1, h2, h3], log=[a, b], name=c, total=5}"));
    }

    [Test]
    public void Reduce_Overwrite_BypassesTheReducerAndWinsTheStep()
    {
        var s0 = Schema.CreateState().With("total", 100).With("history", new[] { "old" });
        var s1 = Schema.Reduce(s0,
        [
            U("a", 0, KeyedUpdate.Of("total", 1).Set("history", "x")),
            U("b", 1, KeyedUpdate.Empty.Overwrite("total", 7).Overwrite("history", new[] { "fresh" })),
            U("c", 2, KeyedUpdate.Of("total", 1)),
        ]);

        Assert.That(s1.ToString(), Is.EqualTo("{history=[fresh], total=7}"));
    }

    [Test]
    public void Reduce_TwoOverwritesOfOneKey_Fail()
    {
        var ex = Assert.Throws<InvalidUpdateException>(() => Schema.Reduce(
            Schema.CreateState(),
            [U("a", 0, KeyedUpdate.Empty.Overwrite("total", 1)), U("b", 1, KeyedUpdate.Empty.Overwrite("total", 2))]));

        Assert.That(ex!.Message, Is.EqualTo("Key 'total' received 2 Overwrite writes in step 1 (from 'a', 'b'); only one is allowed per step."));
    }

    [Test]
    public void Reduce_EphemeralWrittenTwice_Fails()
    {
        var ex = Assert.Throws<InvalidUpdateException>(() => Schema.Reduce(
            Schema.CreateState(),
            [U("a", 0, KeyedUpdate.Of("flash", "1")), U("b", 1, KeyedUpdate.Of("flash", "2"))]));

        Assert.That(ex!.Message, Is.EqualTo("Key 'flash' is an ephemeral key and received 2 writes in step 1 (from 'a', 'b'); use a reducer or topic key to accept several."));
    }

    [Test]
    public void Reduce_UnknownKeyOrWrongType_FailNamingNodeAndKey()
    {
        var unknown = Assert.Throws<InvalidUpdateException>(() => Schema.Reduce(Schema.CreateState(), [U("a", 0, KeyedUpdate.Of("nope", 1))]));
        var wrong = Assert.Throws<InvalidUpdateException>(() => Schema.Reduce(Schema.CreateState(), [U("a", 0, KeyedUpdate.Of("total", "ten"))]));

        Assert.That(unknown!.Message, Is.EqualTo("Node 'a' wrote unknown key 'nope' in step 1; keys: [name, total, log, inbox, history, flash]."));
        Assert.That(wrong!.Message, Is.EqualTo("Node 'a' wrote a String to key 'total', which holds Int32."));
    }

    [Test]
    public async Task InvokeAsync_KeyedGraphWithParallelWriters_ReducesInPlannedOrder()
    {
        var graph = Schema.CreateGraph()
            .AddNode("b", s => KeyedUpdate.Of("log", new[] { "b" }).Set("total", 2).Set("flash", "from b"))
            .AddNode("a", s => KeyedUpdate.Of("log", new[] { "a" }).Set("total", 1).Set("inbox", "for c"))
            .AddNode("c", s => KeyedUpdate.Of("name", $"c saw flash={s.Get<string?>("flash")} inbox={string.Join("|", s.Get<IReadOnlyList<string>>("inbox"))}"))
            .AddEdge(StateGraph.Start, "b").AddEdge(StateGraph.Start, "a")
            .AddJoin(["a", "b"], "c").AddEdge("c", StateGraph.End);
        await using var compiled = graph.Compile();

        var result = await compiled.InvokeAsync(Schema.CreateState()).Bounded();

        Assert.That(result.ToString(), Is.EqualTo("{log=[a, b], name=c saw flash=from b inbox=for c, total=3}"));
    }

    [Test]
    public async Task InvokeAsync_KeyedGraphLastValueConflict_FailsTheRun()
    {
        var graph = Schema.CreateGraph()
            .AddNode("a", _ => KeyedUpdate.Of("name", "a"))
            .AddNode("b", _ => KeyedUpdate.Of("name", "b"))
            .AddEdge(StateGraph.Start, "a").AddEdge(StateGraph.Start, "b").AddEdge("a", StateGraph.End).AddEdge("b", StateGraph.End);
        await using var compiled = graph.Compile();

        var ex = await Assert.ThrowsAsync<InvalidUpdateException>(() => compiled.InvokeAsync(Schema.CreateState()).Bounded());
        Assert.That(ex!.Nodes, Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public void Schema_DuplicateKey_IsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new KeyedStateSchema().LastValue<int>("k").Topic<int>("k"));
        Assert.That(ex!.Message, Does.StartWith("The schema already has a key 'k'."));
    }
}
