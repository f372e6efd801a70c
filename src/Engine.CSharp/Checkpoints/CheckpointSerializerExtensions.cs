namespace Graph.Engine.Checkpoints;

/// <summary>Conveniences over <see cref="ICheckpointSerializer"/>.</summary>
public static class CheckpointSerializerExtensions
{
    /// <summary>Serializes <paramref name="value"/> into a new array.</summary>
    /// <typeparam name="T">The declared type of the value.</typeparam>
    /// <param name="serializer">The serializer.</param>
    /// <param name="value">The value.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="CheckpointStoreException">The value cannot be serialized.</exception>
    public static byte[] Serialize<T>(this ICheckpointSerializer serializer, T value)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        return CheckpointBuffers.Serialize(serializer, value);
    }
}
