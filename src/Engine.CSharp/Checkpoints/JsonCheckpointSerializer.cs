using System.Buffers;
using System.Text.Json;

namespace Graph.Engine.Checkpoints;

/// <summary>
/// The default <see cref="ICheckpointSerializer"/>, on System.Text.Json: round-trips C# records
/// (positional and with init properties), nested records, lists, arrays, dictionaries and nullable values.
/// </summary>
/// <remarks>
/// The options are copied and frozen at construction. <c>JsonNumberHandling.AllowNamedFloatingPointLiterals</c>
/// is added so that <c>NaN</c> and infinities round-trip. Errors of System.Text.Json surface as
/// <see cref="CheckpointStoreException"/> naming the type.
/// </remarks>
public sealed class JsonCheckpointSerializer : ICheckpointSerializer
{
    /// <summary>Creates a serializer with the web-neutral defaults of System.Text.Json.</summary>
    public JsonCheckpointSerializer()
        : this(null)
    {
    }

    /// <summary>Creates a serializer with a copy of <paramref name="options"/> (for instance the F# options of the bindings).</summary>
    /// <param name="options">The options to copy, or <see langword="null"/> for the defaults.</param>
    public JsonCheckpointSerializer(JsonSerializerOptions? options)
    {
        var copy = options is null ? new JsonSerializerOptions() : new JsonSerializerOptions(options);
        copy.NumberHandling |= System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals;
        copy.MakeReadOnly(populateMissingResolver: true);
        Options = copy;
    }

    /// <summary>A shared instance with the default options.</summary>
    public static JsonCheckpointSerializer Default { get; } = new();

    /// <summary>The frozen options this serializer uses.</summary>
    public JsonSerializerOptions Options { get; }

    [ThreadStatic]
    private static Utf8JsonWriter? cachedWriter;

    /// <inheritdoc />
    public void Serialize<T>(IBufferWriter<byte> destination, T value)
    {
        ArgumentNullException.ThrowIfNull(destination);
        // One writer per thread, reset onto each destination (a nested call on the same thread gets its own).
        var writer = cachedWriter;
        cachedWriter = null;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(destination);
        }
        else
        {
            writer.Reset(destination);
        }

        try
        {
            JsonSerializer.Serialize(writer, value, Options);
            writer.Flush();
            writer.Reset();
            cachedWriter = writer;
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new CheckpointStoreException(
                $"Could not serialize a value of type '{Checkpoint.StateTypeNameOf(typeof(T))}' to JSON: {exception.Message}", exception);
        }
    }

    /// <inheritdoc />
    public T Deserialize<T>(ReadOnlySpan<byte> source)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(source, Options)!;
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new CheckpointStoreException(
                $"Could not deserialize JSON as '{Checkpoint.StateTypeNameOf(typeof(T))}': {exception.Message}", exception);
        }
    }
}
