using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>A task's update kept inline: encoded on read as <see cref="CheckpointCodec.EncodeUpdate{TUpdate}"/> would have on save.</summary>
/// <typeparam name="TUpdate">The update type (<see cref="InlineBits{T}.Supported"/>).</typeparam>
internal sealed class InlineUpdate<TUpdate>(ICheckpointSerializer serializer) : InlineValue
{
    public override byte[] ToBytes(long bits) => CheckpointCodec.EncodeUpdate(serializer, true, InlineBits<TUpdate>.To(bits));
}
