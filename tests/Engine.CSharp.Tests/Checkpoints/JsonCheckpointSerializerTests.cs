using System.Buffers;
using System.Collections.Immutable;
using Graph.Engine.Checkpoints;

namespace Graph.Engine.Tests.Checkpoints;

public sealed class JsonCheckpointSerializerTests
{
    private static readonly JsonCheckpointSerializer Serializer = JsonCheckpointSerializer.Default;

    [Test]
    public void Deserialize_PositionalRecordWithNesting_RoundTrips()
    {
        var state = new Conversation(
            "c-1",
            [new Message("user", "hi", null), new Message("bot", "hello", 0.5)],
            new Dictionary<string, int> { ["turns"] = 2 },
            new Author("ada", Age: null));

        var copy = RoundTrip(state);

        Assert.That(copy.Id, Is.EqualTo(state.Id));
        Assert.That(copy.Messages, Is.EqualTo(state.Messages));
        Assert.That(copy.Counters, Is.EqualTo(state.Counters));
        Assert.That(copy.Author, Is.EqualTo(state.Author));
    }

    [Test]
    public void Deserialize_InitRecordWithCollections_RoundTrips()
    {
        var state = new Settings
        {
            Name = "s",
            Limit = 3,
            Tags = ImmutableList.Create("a", "b"),
            Weights = new Dictionary<int, double> { [1] = double.NaN, [2] = double.PositiveInfinity },
            Deadline = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromHours(-5)),
        };

        var copy = RoundTrip(state);

        Assert.That(copy.Name, Is.EqualTo("s"));
        Assert.That(copy.Limit, Is.EqualTo(3));
        Assert.That(copy.Tags, Is.EqualTo(state.Tags));
        Assert.That(copy.Weights, Is.EqualTo(state.Weights));
        Assert.That(copy.Deadline, Is.EqualTo(state.Deadline));
        Assert.That(copy.Deadline!.Value.Offset, Is.EqualTo(TimeSpan.FromHours(-5)));
    }

    [Test]
    public void Deserialize_NullableValues_RoundTrip()
    {
        Assert.That(RoundTrip<int?>(null), Is.Null);
        Assert.That(RoundTrip<int?>(5), Is.EqualTo(5));
        Assert.That(RoundTrip(new Author("x", 41)), Is.EqualTo(new Author("x", 41)));
        Assert.That(RoundTrip(new List<int?> { 1, null, 3 }), Is.EqualTo(new int?[] { 1, null, 3 }));
    }

    [Test]
    public void Serialize_ToABufferWriter_WritesTheSameBytesAsToAnArray()
    {
        var buffer = new ArrayBufferWriter<byte>();
        Serializer.Serialize(buffer, new Author("ada", 36));

        Assert.That(buffer.WrittenSpan.ToArray(), Is.EqualTo(Serializer.Serialize(new Author("ada", 36))));
    }

    [Test]
    public void Deserialize_BytesOfAnotherShape_ThrowsNamingTheTargetType()
    {
        var bytes = Serializer.Serialize(new List<int> { 1 });

        var exception = Assert.Throws<CheckpointStoreException>(() => Serializer.Deserialize<Author>(bytes));

        Assert.That(exception!.Message, Does.Contain(typeof(Author).FullName!));
    }

    [Test]
    public void Options_CallerChangesItsOptionsLater_SerializerIsUnaffected()
    {
        var options = new System.Text.Json.JsonSerializerOptions();
        var serializer = new JsonCheckpointSerializer(options);
        options.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase;

        Assert.That(serializer.Options.IsReadOnly, Is.True);
        Assert.That(System.Text.Encoding.UTF8.GetString(serializer.Serialize(new Author("a", 1))), Does.Contain("\"Name\""));
    }

    private static T RoundTrip<T>(T value) => Serializer.Deserialize<T>(Serializer.Serialize(value));

    public sealed record Message(string Role, string Text, double? Score);

    public sealed record Author(string Name, int? Age);

    public sealed record Conversation(string Id, IReadOnlyList<Message> Messages, IReadOnlyDictionary<string, int> Counters, Author Author);

    public sealed record Settings
    {
        public required string Name { get; init; }

        public int Limit { get; init; }

        public ImmutableList<string> Tags { get; init; } = [];

        public Dictionary<int, double> Weights { get; init; } = [];

        public DateTimeOffset? Deadline { get; init; }
    }
}
