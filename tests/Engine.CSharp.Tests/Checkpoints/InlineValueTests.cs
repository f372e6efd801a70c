using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Tests.Durability;
using Graph.Engine.Tests.Graphs;

namespace Graph.Engine.Tests.Checkpoints;

/// <summary>
/// <see cref="InlineValue"/> and <see cref="InlineBits{T}"/>: which types the in-memory store keeps as bits, and that
/// what it returns for them is, byte for byte, what a store that is given serialized values returns.
/// </summary>
public sealed class InlineValueTests
{
    public enum Light
    {
        Red,
        Amber,
        Green,
    }

    private sealed record Counter(int Value);

    [Test]
    public void InlineBits_SupportedValues_RoundTrip()
    {
        Assert.Multiple(() =>
        {
            RoundTrips(int.MinValue);
            RoundTrips(-1L);
            RoundTrips(ulong.MaxValue);
            RoundTrips((byte)200);
            RoundTrips(true);
            RoundTrips('é');
            RoundTrips(double.NaN);
            RoundTrips(-0.0);
            RoundTrips(1.5f);
            RoundTrips(Light.Green);
            RoundTrips(new DateTime(2026, 12, 1, 11, 0, 0, DateTimeKind.Utc));
            RoundTrips(new DateTime(2026, 12, 1, 11, 0, 0, DateTimeKind.Local));
            RoundTrips(TimeSpan.FromTicks(-123456789));
            RoundTrips(new DateOnly(2026, 12, 1));
            RoundTrips(new TimeOnly(23, 59, 59));
        });
    }

    [Test]
    public void InlineBits_ReferencesWideOrMutableTypes_AreNotSupported()
    {
        Assert.Multiple(() =>
        {
            Assert.That(InlineBits<string>.Supported, Is.False, "string: a reference");
            Assert.That(InlineBits<Counter>.Supported, Is.False, "a record: a reference");
            Assert.That(InlineBits<decimal>.Supported, Is.False, "decimal: 16 bytes");
            Assert.That(InlineBits<Guid>.Supported, Is.False, "Guid: 16 bytes");
            Assert.That(InlineBits<DateTimeOffset>.Supported, Is.False, "DateTimeOffset: 16 bytes");
            Assert.That(InlineBits<int?>.Supported, Is.False, "Nullable: not in the list");
            Assert.That(InlineBits<nint>.Supported, Is.False, "nint: its size depends on the process");
            Assert.That(InlineBits<KeyValuePair<int, int>>.Supported, Is.False, "a struct not in the list");
            Assert.That(InlineBits<int>.Supported, Is.True);
        });
    }

    [Test]
    public async Task InMemoryStore_IntChain_ReadsBackWhatTheSerializedPathStores()
    {
        var inline = await HistoryAsync(new InMemoryCheckpointer(), TestGraphs.Chain(4), 0);
        var serialized = await HistoryAsync(new HeldPutCheckpointer(new InMemoryCheckpointer()), TestGraphs.Chain(4), 0);

        AssertSame(inline, serialized);
        Assert.That(JsonCheckpointSerializer.Default.Deserialize<int>(inline[0].State.Span), Is.EqualTo(4), "the latest state");
    }

    [Test]
    public async Task InMemoryStore_EnumStateAndUpdates_ReadBackWhatTheSerializedPathStores()
    {
        static StateGraph<Light, Light> Lights()
        {
            var graph = new StateGraph<Light, Light>(Reducers.Replace<Light>());
            graph.AddNode("amber", _ => Light.Amber);
            graph.AddNode("green", _ => Light.Green);
            graph.AddEdge(StateGraph.Start, "amber");
            graph.AddEdge("amber", "green");
            graph.AddEdge("green", StateGraph.End);
            return graph;
        }

        var inline = await HistoryAsync(new InMemoryCheckpointer(), Lights(), Light.Red);
        var serialized = await HistoryAsync(new HeldPutCheckpointer(new InMemoryCheckpointer()), Lights(), Light.Red);

        AssertSame(inline, serialized);
        Assert.That(JsonCheckpointSerializer.Default.Deserialize<Light>(inline[0].State.Span), Is.EqualTo(Light.Green));
    }

    [Test]
    public async Task InMemoryStore_IntChainInterruptedBefore_ResumesFromInlineState()
    {
        var store = new InMemoryCheckpointer();
        await using var graph = TestGraphs.Chain(3).Compile(new GraphCompileOptions { Checkpointer = store, InterruptBefore = ["n2"] });

        var first = await graph.RunAsync(5, new RunOptions { ThreadId = "t" }).Bounded();
        var resumed = await graph.ResumeAsync("t").Bounded();

        Assert.That(first.State, Is.EqualTo(7), "n0 and n1 ran before the interrupt");
        Assert.That(resumed.State, Is.EqualTo(8));
    }

    private static void RoundTrips<T>(T value)
    {
        Assert.That(InlineBits<T>.Supported, Is.True, typeof(T).Name);
        Assert.That(InlineBits<T>.To(InlineBits<T>.From(value)), Is.EqualTo(value), $"{typeof(T).Name} {value}");
    }

    private static async Task<IReadOnlyList<Checkpoint>> HistoryAsync<T>(ICheckpointer store, StateGraph<T, T> graph, T input)
    {
        await using var compiled = graph.Compile(new GraphCompileOptions { Checkpointer = store });
        await compiled.InvokeAsync(input, new RunOptions { ThreadId = "t", RunId = "run" }).Bounded();
        return await store.ListAsync("t").Bounded();
    }

    private static void AssertSame(IReadOnlyList<Checkpoint> inline, IReadOnlyList<Checkpoint> serialized)
    {
        Assert.That(inline, Has.Count.EqualTo(serialized.Count));
        for (var i = 0; i < inline.Count; i++)
        {
            var (a, b) = (inline[i], serialized[i]);
            Assert.That(a.State.ToArray(), Is.EqualTo(b.State.ToArray()), $"state of checkpoint {a.Id}");
            Assert.That(a.PendingWrites, Is.EqualTo(b.PendingWrites), $"pending writes of checkpoint {a.Id}");
            Assert.That(a.NextTasks, Is.EqualTo(b.NextTasks), $"next tasks of checkpoint {a.Id}");
            Assert.That((a.Id, a.ParentId, a.Step, a.StateType), Is.EqualTo((b.Id, b.ParentId, b.Step, b.StateType)));
        }
    }
}
