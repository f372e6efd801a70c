using System.Text;
using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Tests.Graphs;

namespace Graph.Engine.Tests.Checkpoints;

/// <summary>Interrupt and resume values are read back only as types of the closed <see cref="CheckpointTypes"/> set.</summary>
[TestFixture]
public sealed class CheckpointTypesTests
{
    [Test]
    public async Task GetStateAsync_PayloadNamingALoadableButUnregisteredType_ThrowsNamingTheType()
    {
        var store = new InMemoryCheckpointer();
        await using var compiled = AskGraph(store);
        await InterruptAsync(compiled);
        await ReplacePayloadAsync(store, "System.IO.FileInfo, System.Runtime", "\"/etc/passwd\"");

        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(async () => await compiled.GetStateAsync("t").Bounded());

        Assert.That(exception!.Message, Does.Contain("'System.IO.FileInfo, System.Runtime'").And.Contain("CheckpointTypes.Register"));
        Assert.That(CheckpointTypes.IsRegistered(typeof(FileInfo)), Is.False);
    }

    [Test]
    public async Task GetStateAsync_PayloadWithAnAssemblyQualifiedBuiltInName_ReadsTheValue()
    {
        var store = new InMemoryCheckpointer();
        await using var compiled = AskGraph(store);
        await InterruptAsync(compiled);
        await ReplacePayloadAsync(store, typeof(string).AssemblyQualifiedName!, "\"legacy?\"");

        var snapshot = await compiled.GetStateAsync("t").Bounded();

        Assert.That(snapshot!.Interrupts.Single().Value, Is.EqualTo("legacy?"));
    }

    [Test]
    public async Task ResumeAsync_RegisteredRecordPayload_ReadsItBackAsTheRecord()
    {
        CheckpointTypes.Register<Question>();
        var store = new InMemoryCheckpointer();
        await using var compiled = AskGraph(store);
        await InterruptAsync(compiled);
        await ReplacePayloadAsync(store, Checkpoint.StateTypeNameOf(typeof(Question)), "{\"Text\":\"really?\"}");

        var snapshot = await compiled.GetStateAsync("t").Bounded();
        var resumed = await compiled.ResumeAsync("t", Resume.With("yes")).Bounded();

        Assert.That(snapshot!.Interrupts.Single().Value, Is.EqualTo(new Question("really?")));
        Assert.That(resumed.State, Is.EqualTo(new[] { "ask:yes" }));
        Assert.That(CheckpointTypes.IsRegistered(typeof(Question)), Is.True);
    }

    [Test]
    public void Register_OpenGenericType_ThrowsNamingIt()
    {
        var exception = Assert.Throws<ArgumentException>(() => CheckpointTypes.Register(typeof(List<>)));

        Assert.That(exception!.Message, Does.Contain("open generic"));
    }

    private static CompiledGraph<IReadOnlyList<string>, IReadOnlyList<string>> AskGraph(ICheckpointer store) =>
        TestGraphs.Trace()
            .AddNode("ask", (_, ctx) => TestGraphs.Log("ask:" + ctx.Interrupt<string>("ok?")))
            .AddEdge(StateGraph.Start, "ask")
            .AddEdge("ask", StateGraph.End)
            .Compile(new GraphCompileOptions { Checkpointer = store });

    private static async Task InterruptAsync(CompiledGraph<IReadOnlyList<string>, IReadOnlyList<string>> compiled)
    {
        var first = await compiled.RunAsync([], new RunOptions { ThreadId = "t" }).Bounded();
        Assert.That(first.Status, Is.EqualTo(GraphRunStatus.Interrupted));
    }

    /// <summary>Rewrites the thread's pending interrupt so its payload records <paramref name="typeName"/> and <paramref name="json"/>.</summary>
    private static async Task ReplacePayloadAsync(ICheckpointer store, string typeName, string json)
    {
        var latest = (await store.GetAsync("t").Bounded())!;
        var write = latest.PendingWrites.Single(w => w.Kind == PendingWriteKind.Interrupt);
        string id;
        using (var reader = new BinaryReader(new MemoryStream(write.Payload.ToArray()), Encoding.UTF8))
        {
            reader.ReadByte();
            id = reader.ReadString();
        }

        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((byte)1);
            writer.Write(id);
            writer.Write(typeName);
            var bytes = Encoding.UTF8.GetBytes(json);
            writer.Write(bytes.Length);
            writer.Write(bytes);
            writer.Write(0);
        }

        await store.PutWritesAsync("t", latest.Id, [write with { Payload = stream.ToArray() }]).Bounded();
    }

    public sealed record Question(string Text);
}
