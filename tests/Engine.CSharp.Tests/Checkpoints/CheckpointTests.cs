using Graph.Engine.Checkpoints;

namespace Graph.Engine.Tests.Checkpoints;

public sealed class CheckpointTests
{
    [Test]
    public void StateTypeNameOf_GenericNestedAndArrayTypes_SpellsThemWithoutAssemblies()
    {
        Assert.That(Checkpoint.StateTypeNameOf(typeof(int)), Is.EqualTo("System.Int32"));
        Assert.That(
            Checkpoint.StateTypeNameOf(typeof(Dictionary<string, List<int>>)),
            Is.EqualTo("System.Collections.Generic.Dictionary<System.String,System.Collections.Generic.List<System.Int32>>"));
        Assert.That(Checkpoint.StateTypeNameOf(typeof(Nested[])), Is.EqualTo("Graph.Engine.Tests.Checkpoints.CheckpointTests+Nested[]"));
    }

    [Test]
    public void Equals_SameContentInOtherBuffers_IsTrue()
    {
        var left = Make(new byte[] { 1, 2 });
        var right = Make(new byte[] { 1, 2 });

        Assert.That(left, Is.EqualTo(right));
        Assert.That(left.GetHashCode(), Is.EqualTo(right.GetHashCode()));
        Assert.That(left, Is.Not.EqualTo(Make(new byte[] { 1, 3 })));
        Assert.That(left, Is.Not.EqualTo(left with { NextTasks = [new PlannedTaskRecord("t", "n", ReadOnlyMemory<byte>.Empty)] }));
    }

    [Test]
    public void ReadState_MatchingType_Deserializes()
    {
        var serializer = JsonCheckpointSerializer.Default;
        var checkpoint = Make(serializer.Serialize(new Nested(4))) with { StateType = Checkpoint.StateTypeNameOf(typeof(Nested)) };

        Assert.That(checkpoint.ReadState<Nested>(serializer), Is.EqualTo(new Nested(4)));
        Assert.That(() => checkpoint.ReadState<int>(serializer), Throws.InstanceOf<CheckpointStoreException>()
            .With.Message.Contains("'Graph.Engine.Tests.Checkpoints.CheckpointTests+Nested'").And.Message.Contains("'System.Int32'"));
    }

    private static Checkpoint Make(byte[] state) => new()
    {
        ThreadId = "t",
        Id = 1,
        Step = 0,
        StateType = "S",
        State = state,
        Metadata = new CheckpointMetadata { Source = CheckpointSource.Loop, Writers = ["a"] },
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    public sealed record Nested(int Value);
}
