using System.Buffers;

namespace Graph.Engine.Checkpoints;

/// <summary>
/// A per-thread scratch <see cref="ArrayBufferWriter{T}"/> for encoding checkpoint values: rent it, write, copy the
/// written bytes out (stores keep what they are given, so the result is a fresh array) and return it. Re-entrant:
/// a nested rent on the same thread gets a fresh writer.
/// </summary>
internal static class CheckpointBuffers
{
    private const int MaxRetained = 256 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? cached;

    public static ArrayBufferWriter<byte> Rent()
    {
        var buffer = cached;
        if (buffer is null)
        {
            return new ArrayBufferWriter<byte>(256);
        }

        cached = null;
        buffer.ResetWrittenCount();
        return buffer;
    }

    public static void Return(ArrayBufferWriter<byte> buffer)
    {
        if (buffer.Capacity <= MaxRetained)
        {
            cached = buffer;
        }
    }

    /// <summary>Serializes <paramref name="value"/> into a new array through the scratch buffer.</summary>
    public static byte[] Serialize<T>(ICheckpointSerializer serializer, T value)
    {
        var buffer = Rent();
        try
        {
            serializer.Serialize(buffer, value);
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            Return(buffer);
        }
    }
}

/// <summary>The <see cref="Checkpoint.StateTypeNameOf"/> of <typeparamref name="T"/>, computed once.</summary>
/// <typeparam name="T">The state type.</typeparam>
internal static class StateTypeName<T>
{
    public static readonly string Value = Checkpoint.StateTypeNameOf(typeof(T));
}
