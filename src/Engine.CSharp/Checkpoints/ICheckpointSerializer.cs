using System.Buffers;

namespace Graph.Engine.Checkpoints;

/// <summary>
/// Turns states, updates, interrupt values and <c>Send</c> arguments into bytes and back. The runner
/// serializes with it; stores only see bytes. The default is <see cref="JsonCheckpointSerializer"/>;
/// the F# bindings provide one that understands F# unions, options, lists, maps and records.
/// </summary>
public interface ICheckpointSerializer
{
    /// <summary>Writes <paramref name="value"/> to <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The declared type of the value; <see cref="Deserialize{T}"/> is called with the same type.</typeparam>
    /// <param name="destination">Where to write the bytes.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="CheckpointStoreException">The value cannot be serialized (the message names the type).</exception>
    void Serialize<T>(IBufferWriter<byte> destination, T value);

    /// <summary>Reads a value written by <see cref="Serialize{T}"/> with the same <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The type to read.</typeparam>
    /// <param name="source">The bytes.</param>
    /// <returns>The value.</returns>
    /// <exception cref="CheckpointStoreException">The bytes cannot be read as <typeparamref name="T"/> (the message names the type).</exception>
    T Deserialize<T>(ReadOnlySpan<byte> source);
}
