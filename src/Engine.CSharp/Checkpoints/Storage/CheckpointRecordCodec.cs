using System.Diagnostics;
using System.Text;

namespace Graph.Engine.Checkpoints.Storage;

/// <summary>The compact binary form of the small checkpoint fields the store keeps in one column each.</summary>
internal static class CheckpointRecordCodec
{
    private const byte FormatVersion = 1;

    /// <summary>The format of a metadata record whose shared properties are stored apart (<see cref="SharedProperties"/>).</summary>
    private const byte SharedFormatVersion = 2;

    public static byte[] EncodeTasks(IReadOnlyList<PlannedTaskRecord> tasks)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write7BitEncodedInt(tasks.Count);
            foreach (var task in tasks)
            {
                ArgumentNullException.ThrowIfNull(task);
                writer.Write(task.TaskId);
                writer.Write(task.Node);
                writer.Write(task.SendArgument.HasValue);
                if (task.SendArgument is { } argument)
                {
                    writer.Write7BitEncodedInt(argument.Length);
                    writer.Write(argument.Span);
                }
            }
        }

        return stream.ToArray();
    }

    public static PlannedTaskRecord[] DecodeTasks(byte[] bytes)
    {
        using var reader = Open(bytes);
        var tasks = new PlannedTaskRecord[reader.Read7BitEncodedInt()];
        for (var i = 0; i < tasks.Length; i++)
        {
            var taskId = reader.ReadString();
            var node = reader.ReadString();
            ReadOnlyMemory<byte>? argument = reader.ReadBoolean()
                ? new ReadOnlyMemory<byte>(reader.ReadBytes(reader.Read7BitEncodedInt()))
                : (ReadOnlyMemory<byte>?)null;
            tasks[i] = new PlannedTaskRecord(taskId, node, argument);
        }

        return tasks;
    }

    /// <summary>
    /// The metadata record: source, writers and properties (format 1). With <paramref name="shared"/> (the record of the
    /// shared entries the properties hold, <see cref="SharedProperties.Of(CheckpointMetadata)"/>), format 2: only the
    /// properties that are not among its entries (the run id), then its hash as the last
    /// <see cref="SharedProperties.HashSize"/> bytes; the shared entries are stored apart, once.
    /// </summary>
    public static byte[] EncodeMetadata(CheckpointMetadata metadata, SharedProperties? shared = null)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(shared is null ? FormatVersion : SharedFormatVersion);
            writer.Write7BitEncodedInt((int)metadata.Source);
            writer.Write7BitEncodedInt(metadata.Writers.Count);
            foreach (var name in metadata.Writers)
            {
                writer.Write(name);
            }

            // The shared entries are among the properties (ISharedEntries), so the own ones are the rest.
            var own = metadata.Properties.Count - (shared?.Entries.Length ?? 0);
            writer.Write7BitEncodedInt(own);
            foreach (var (key, value) in metadata.Properties)
            {
                if (shared is null || !shared.Holds(key))
                {
                    writer.Write(key);
                    writer.Write(value);
                    own--;
                }
            }

            Debug.Assert(own == 0, "The shared entries are among the properties.");

            if (shared is not null)
            {
                writer.Write(shared.Hash);
            }
        }

        return stream.ToArray();
    }

    /// <summary>The hash of the shared properties a format 2 metadata record names, or an empty span for a format 1 record.</summary>
    public static ReadOnlySpan<byte> SharedPropertiesHash(ReadOnlySpan<byte> metadata) =>
        metadata.Length > SharedProperties.HashSize && metadata[0] == SharedFormatVersion ? metadata[^SharedProperties.HashSize..] : [];

    /// <summary>Decodes a format 1 record, or a format 2 record with <paramref name="shared"/>, the entries its hash names.</summary>
    public static CheckpointMetadata DecodeMetadata(byte[] bytes, KeyValuePair<string, string>[]? shared = null)
    {
        var sharedFormat = !SharedPropertiesHash(bytes).IsEmpty;
        if (sharedFormat && shared is null)
        {
            throw new CheckpointStoreException("A metadata record names shared properties that were not given.");
        }

        if (!sharedFormat && (bytes.Length == 0 || bytes[0] != FormatVersion))
        {
            throw new CheckpointStoreException($"A metadata record has format {(bytes.Length == 0 ? "(empty)" : bytes[0])}; this version of Graph.Engine reads formats {FormatVersion} and {SharedFormatVersion}.");
        }

        var length = bytes.Length - 1 - (sharedFormat ? SharedProperties.HashSize : 0);
        using var reader = new BinaryReader(new MemoryStream(bytes, 1, length, writable: false), Encoding.UTF8);
        var source = (CheckpointSource)reader.Read7BitEncodedInt();
        var writers = new string[reader.Read7BitEncodedInt()];
        for (var i = 0; i < writers.Length; i++)
        {
            writers[i] = reader.ReadString();
        }

        var count = reader.Read7BitEncodedInt();
        var properties = new Dictionary<string, string>(count + (sharedFormat ? shared!.Length : 0), StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            properties.Add(reader.ReadString(), reader.ReadString());
        }

        if (sharedFormat)
        {
            foreach (var (key, value) in shared!)
            {
                properties.Add(key, value);
            }
        }

        return new CheckpointMetadata { Source = source, Writers = writers, Properties = properties };
    }

    private static BinaryReader Open(byte[] bytes)
    {
        var reader = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
        var version = reader.ReadByte();
        if (version != FormatVersion)
        {
            reader.Dispose();
            throw new CheckpointStoreException($"A checkpoint record has format {version}; this version of Graph.Engine reads format {FormatVersion}.");
        }

        return reader;
    }
}
