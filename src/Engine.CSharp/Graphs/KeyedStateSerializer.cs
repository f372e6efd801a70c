using System.Buffers;
using System.Text;
using System.Text.Json;
using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>
/// The serializer a compiled keyed-state graph checkpoints with: <see cref="KeyedState"/> and <see cref="KeyedUpdate"/>
/// hold <c>object?</c> values, so each value is written with the type its key declares in the graph's
/// <see cref="KeyedStateSchema"/> (a topic key as an array of its item type); every other type goes to the user's
/// serializer. Over a <see cref="JsonCheckpointSerializer"/> a state is a JSON object by key and an update a JSON
/// array of writes; over any other serializer both are a small binary envelope around that serializer's bytes.
/// </summary>
internal sealed class KeyedStateSerializer : ICheckpointSerializer
{
    private const string Unrelated = "The keyed state cannot be checkpointed: the graph's reducer is not a KeyedStateSchema's Reduce method. Build the graph with schema.CreateGraph() or new StateGraph<KeyedState, KeyedUpdate>(schema.Reduce).";

    private readonly ICheckpointSerializer inner;
    private readonly KeyedStateSchema? schema;
    private readonly JsonSerializerOptions? json;

    private KeyedStateSerializer(ICheckpointSerializer inner, KeyedStateSchema? schema)
    {
        this.inner = inner;
        this.schema = schema;
        json = (inner as JsonCheckpointSerializer)?.Options;
    }

    /// <summary>The serializer a graph over <typeparamref name="TState"/> uses: <paramref name="inner"/> itself unless the state is keyed.</summary>
    public static ICheckpointSerializer For<TState, TUpdate>(ICheckpointSerializer inner, Func<TState, IReadOnlyList<NodeUpdate<TUpdate>>, TState> reducer) =>
        typeof(TState) == typeof(KeyedState) || typeof(TUpdate) == typeof(KeyedUpdate)
            ? new KeyedStateSerializer(inner, reducer.Target as KeyedStateSchema)
            : inner;

    /// <inheritdoc />
    public void Serialize<T>(IBufferWriter<byte> destination, T value)
    {
        if (typeof(T) != typeof(KeyedState) && typeof(T) != typeof(KeyedUpdate))
        {
            inner.Serialize(destination, value);
            return;
        }

        try
        {
            if (value is KeyedState state)
            {
                WriteState(destination, state);
            }
            else
            {
                WriteUpdate(destination, (KeyedUpdate)(object)value!);
            }
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new CheckpointStoreException($"Could not serialize a {typeof(T).Name}: {exception.Message}", exception);
        }
    }

    /// <inheritdoc />
    public T Deserialize<T>(ReadOnlySpan<byte> source)
    {
        if (typeof(T) != typeof(KeyedState) && typeof(T) != typeof(KeyedUpdate))
        {
            return inner.Deserialize<T>(source);
        }

        try
        {
            return typeof(T) == typeof(KeyedState) ? (T)(object)ReadState(source) : (T)(object)ReadUpdate(source);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException or EndOfStreamException)
        {
            throw new CheckpointStoreException($"Could not deserialize a recorded {typeof(T).Name}: {exception.Message}", exception);
        }
    }

    private KeyedStateSchema Schema => schema ?? throw new CheckpointStoreException(Unrelated);

    private static Type StoredType(KeyedStateSchema.KeyDefinition def) => def.Kind == KeyKind.Topic ? def.Type.MakeArrayType() : def.Type;

    private KeyedStateSchema.KeyDefinition Key(string key) =>
        Schema.Find(key) ?? throw new CheckpointStoreException($"A recorded keyed value names key '{key}', which the graph's schema does not have; keys: [{string.Join(", ", Schema.Keys)}].");

    /// <summary>A write as it is stored: a topic write as the array of its items, any other value checked against its key.</summary>
    private object? Normalize(string key, object? value)
    {
        var def = Schema.Find(key) ?? throw new InvalidUpdateException(key, [], $"A node wrote unknown key '{key}'; keys: [{string.Join(", ", Schema.Keys)}].");
        return def.Kind == KeyKind.Topic ? def.ToList(def.Items(value, "a node")) : def.Check(value, "a node");
    }

    private void WriteState(IBufferWriter<byte> destination, KeyedState state)
    {
        if (json is not null)
        {
            using var w = new Utf8JsonWriter(destination);
            w.WriteStartObject();
            foreach (var (key, value) in state.Values)
            {
                w.WritePropertyName(key);
                JsonSerializer.Serialize(w, value, StoredType(Key(key)), json);
            }

            w.WriteEndObject();
            return;
        }

        using var stream = new MemoryStream();
        using (var b = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            b.Write(state.Values.Count);
            foreach (var (key, value) in state.Values)
            {
                b.Write(key);
                WriteBytes(b, CheckpointCodec.SerializeObject(inner, StoredType(Key(key)), value));
            }
        }

        destination.Write(stream.ToArray());
    }

    private KeyedState ReadState(ReadOnlySpan<byte> source)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (json is not null)
        {
            var r = new Utf8JsonReader(source);
            Expect(ref r, JsonTokenType.StartObject, "keyed state");
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var def = Key(r.GetString()!);
                r.Read();
                values[def.Name] = JsonSerializer.Deserialize(ref r, StoredType(def), json);
            }

            return new KeyedState(Schema, values);
        }

        using var b = new BinaryReader(new MemoryStream(source.ToArray(), writable: false), Encoding.UTF8);
        for (var count = b.ReadInt32(); count > 0; count--)
        {
            var def = Key(b.ReadString());
            values[def.Name] = CheckpointCodec.DeserializeObject(inner, StoredType(def), ReadBytes(b));
        }

        return new KeyedState(Schema, values);
    }

    private void WriteUpdate(IBufferWriter<byte> destination, KeyedUpdate update)
    {
        if (json is not null)
        {
            using var w = new Utf8JsonWriter(destination);
            w.WriteStartArray();
            foreach (var (key, value) in update.Writes)
            {
                var overwrite = value is Overwrite;
                var stored = Normalize(key, overwrite ? ((Overwrite)value!).Value : value);
                w.WriteStartObject();
                w.WriteString("key", key);
                w.WritePropertyName(overwrite ? "overwrite" : "value");
                JsonSerializer.Serialize(w, stored, StoredType(Key(key)), json);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            return;
        }

        using var stream = new MemoryStream();
        using (var b = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            b.Write(update.Writes.Count);
            foreach (var (key, value) in update.Writes)
            {
                var overwrite = value is Overwrite;
                var stored = Normalize(key, overwrite ? ((Overwrite)value!).Value : value);
                b.Write(key);
                b.Write(overwrite);
                WriteBytes(b, CheckpointCodec.SerializeObject(inner, StoredType(Key(key)), stored));
            }
        }

        destination.Write(stream.ToArray());
    }

    private KeyedUpdate ReadUpdate(ReadOnlySpan<byte> source)
    {
        var update = KeyedUpdate.Empty;
        if (json is not null)
        {
            var r = new Utf8JsonReader(source);
            Expect(ref r, JsonTokenType.StartArray, "keyed update");
            while (r.Read() && r.TokenType == JsonTokenType.StartObject)
            {
                r.Read();
                r.Read();
                var def = Key(r.GetString()!);
                r.Read();
                var overwrite = r.ValueTextEquals("overwrite"u8);
                r.Read();
                var value = JsonSerializer.Deserialize(ref r, StoredType(def), json);
                update = overwrite ? update.Overwrite(def.Name, value) : update.Set(def.Name, value);
                r.Read();
            }

            return update;
        }

        using var b = new BinaryReader(new MemoryStream(source.ToArray(), writable: false), Encoding.UTF8);
        for (var count = b.ReadInt32(); count > 0; count--)
        {
            var def = Key(b.ReadString());
            var overwrite = b.ReadBoolean();
            var value = CheckpointCodec.DeserializeObject(inner, StoredType(def), ReadBytes(b));
            update = overwrite ? update.Overwrite(def.Name, value) : update.Set(def.Name, value);
        }

        return update;
    }

    private static void Expect(ref Utf8JsonReader r, JsonTokenType token, string what)
    {
        if (!r.Read() || r.TokenType != token)
        {
            throw new CheckpointStoreException($"A recorded {what} is not in the keyed JSON form (expected {token}).");
        }
    }

    private static void WriteBytes(BinaryWriter w, byte[] bytes)
    {
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static byte[] ReadBytes(BinaryReader r) => r.ReadBytes(r.ReadInt32());
}
