using System.Text;

namespace Graph.Engine.Checkpoints.Storage;

/// <summary>The compact binary form of the small checkpoint fields the store keeps in one column each.</summary>
internal static class CheckpointRecordCodec
{
    private const byte FormatVersion = 1;

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

    public static byte[] EncodeMetadata(CheckpointMetadata metadata)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write7BitEncodedInt((int)metadata.Source);
            writer.Write7BitEncodedInt(metadata.Writers.Count);
            foreach (var name in metadata.Writers)
            {
                writer.Write(name);
            }

            writer.Write7BitEncodedInt(metadata.Properties.Count);
            foreach (var (key, value) in metadata.Properties)
            {
                writer.Write(key);
                writer.Write(value);
            }
        }

        return stream.ToArray();
    }

    public static CheckpointMetadata DecodeMetadata(byte[] bytes)
    {
        using var reader = Open(bytes);
        var source = (CheckpointSource)reader.Read7BitEncodedInt();
        var writers = new string[reader.Read7BitEncodedInt()];
        for (var i = 0; i < writers.Length; i++)
        {
            writers[i] = reader.ReadString();
        }

        var count = reader.Read7BitEncodedInt();
        var properties = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            properties.Add(reader.ReadString(), reader.ReadString());
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
