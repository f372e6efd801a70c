using System.Globalization;
using System.Text;
using System.Text.Json;
using Graph.Engine.Checkpoints;

namespace Graph.Cli.Output;

/// <summary>
/// Storage-level views of checkpoints, for any graph: the state as JSON (the default serializer), planned tasks,
/// pending writes and metadata. Payloads of pending writes are the runner's small binary envelopes around
/// serializer output; they are decoded best effort (version 1), and shown by size when that fails.
/// </summary>
internal static class CheckpointText
{
    private const byte EnvelopeVersion = 1;
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions Compact = new() { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The bytes as indented JSON, or null when they are not JSON (another serializer).</summary>
    public static string? PrettyJson(ReadOnlyMemory<byte> bytes) => Json(bytes, Indented);

    /// <summary>The bytes as one-line JSON, or a size when they are not JSON.</summary>
    public static string CompactJson(ReadOnlyMemory<byte> bytes) =>
        Json(bytes, Compact) ?? string.Create(CultureInfo.InvariantCulture, $"({bytes.Length} bytes, not JSON)");

    /// <summary>"finished", "interrupted at review", "failed in lookup", or "next: a, b".</summary>
    public static string Status(Checkpoint checkpoint)
    {
        var interrupted = string.Join(", ", PendingInterrupts(checkpoint).Select(w => w.Node).Distinct(StringComparer.Ordinal));
        if (interrupted.Length > 0)
        {
            return $"interrupted at {interrupted}";
        }

        var failed = Nodes(checkpoint, PendingWriteKind.Error);
        if (failed.Length > 0)
        {
            return $"failed in {failed}";
        }

        return checkpoint.NextTasks.Count == 0 ? "finished" : $"next: {NextNodes(checkpoint)}";
    }

    /// <summary>Interrupt writes not yet answered: no <see cref="PendingWriteKind.Update"/> write of the same task followed.</summary>
    public static IEnumerable<PendingWrite> PendingInterrupts(Checkpoint checkpoint) =>
        checkpoint.PendingWrites.Where(w => w.Kind == PendingWriteKind.Interrupt
            && !checkpoint.PendingWrites.Any(u => u.Kind == PendingWriteKind.Update && string.Equals(u.TaskId, w.TaskId, StringComparison.Ordinal)));

    /// <summary>The planned nodes, repeats folded ("count x4").</summary>
    public static string NextNodes(Checkpoint checkpoint) =>
        checkpoint.NextTasks.Count == 0 ? "-" : RunView.Nodes([.. checkpoint.NextTasks.Select(t => t.Node)]);

    /// <summary>The metadata source in lower case.</summary>
    public static string Source(Checkpoint checkpoint) => checkpoint.Metadata.Source.ToString().ToLowerInvariant();

    /// <summary>The writers, or "-".</summary>
    public static string Writers(Checkpoint checkpoint) =>
        checkpoint.Metadata.Writers.Count == 0 ? "-" : RunView.Nodes(checkpoint.Metadata.Writers);

    /// <summary>Round-trip ISO 8601 with the stored offset.</summary>
    public static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm:ss.fff zzz", CultureInfo.InvariantCulture);

    /// <summary>A pending interrupt write: its id and value (JSON; strings unquoted), or null when it cannot be read.</summary>
    public static (string Id, string Value)? Interrupt(PendingWrite write)
    {
        try
        {
            using var reader = Reader(write.Payload);
            var id = reader.ReadString();
            var typeName = reader.ReadString();
            if (typeName.Length == 0)
            {
                return (id, "null");
            }

            var value = reader.ReadBytes(reader.ReadInt32());
            return (id, Unquoted(value));
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>A recorded task result: the update as one-line JSON (commands add their goto), or null when it cannot be read.</summary>
    public static string? Update(PendingWrite write)
    {
        try
        {
            using var reader = Reader(write.Payload);
            var flags = reader.ReadByte();
            var update = (flags & 1) != 0 ? CompactJson(reader.ReadBytes(reader.ReadInt32())) : "(no update)";
            return (flags & 2) != 0 ? update + " + command" : update;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>A recorded error: "ExceptionType: message".</summary>
    public static string Error(PendingWrite write) => Encoding.UTF8.GetString(write.Payload.Span);

    private static string Nodes(Checkpoint checkpoint, PendingWriteKind kind) =>
        string.Join(", ", checkpoint.PendingWrites.Where(w => w.Kind == kind).Select(w => w.Node).Distinct(StringComparer.Ordinal));

    private static BinaryReader Reader(ReadOnlyMemory<byte> payload)
    {
        var reader = new BinaryReader(new MemoryStream(payload.ToArray(), writable: false), Encoding.UTF8);
        if (payload.IsEmpty || reader.ReadByte() != EnvelopeVersion)
        {
            reader.Dispose();
            throw new FormatException("unknown envelope version");
        }

        return reader;
    }

    private static string Unquoted(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.String
                ? document.RootElement.GetString()!
                : CompactJson(json);
        }
        catch (JsonException)
        {
            return string.Create(CultureInfo.InvariantCulture, $"({json.Length} bytes, not JSON)");
        }
    }

    private static string? Json(ReadOnlyMemory<byte> bytes, JsonWriterOptions options)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, options))
            {
                document.WriteTo(writer);
            }

            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
