using System.Buffers.Binary;
using Graph.Cli.Commands;
using Graph.Engine.Checkpoints;
using Graph.Engine.Sqlite;

namespace Graph.Cli.Store;

/// <summary>Opens SQLite checkpoint files for the commands, turning every way a file can be wrong into one <see cref="CliException"/>.</summary>
internal static class CheckpointFile
{
    private static readonly byte[] SqliteMagic = "SQLite format 3\0"u8.ToArray();

    /// <summary>
    /// Opens an existing checkpoint database for inspection. Never creates or initialises a file: a missing file is
    /// <see cref="ExitCodes.FileError"/>, and an empty file or an empty SQLite database (which the store would
    /// initialise) is <see cref="ExitCodes.StoreError"/>, like a corrupt or foreign one (which the store refuses
    /// without writing).
    /// </summary>
    public static SqliteCheckpointer OpenExisting(FileInfo file)
    {
        file.Refresh();
        ThrowIfDirectory(file);
        if (!file.Exists)
        {
            throw new CliException(ExitCodes.FileError, $"database file '{file.FullName}' not found.");
        }

        if (file.Length == 0)
        {
            throw new CliException(ExitCodes.StoreError, $"'{file.FullName}' is empty, not a Graph checkpoint database; it was left untouched.");
        }

        if (ReadApplicationId(file) is 0)
        {
            throw new CliException(ExitCodes.StoreError, $"'{file.FullName}' is a SQLite database without Graph's application id, not a Graph checkpoint database; it was left untouched.");
        }

        return Open(file);
    }

    /// <summary>Opens or creates a checkpoint database for writing (the demo); its folder must exist.</summary>
    public static SqliteCheckpointer OpenOrCreate(FileInfo file)
    {
        ThrowIfDirectory(file);
        if (file.Directory is { Exists: false } folder)
        {
            throw new CliException(ExitCodes.FileError, $"cannot create '{file.FullName}': folder '{folder.FullName}' not found.");
        }

        return Open(file);
    }

    private static void ThrowIfDirectory(FileInfo file)
    {
        if (Directory.Exists(file.FullName))
        {
            throw new CliException(ExitCodes.FileError, $"'{file.FullName}' is a directory, not a checkpoint file; pass the database file itself (such as --db {CommonOptions.Quote(Path.Combine(file.FullName, "graph-demo.db"))}).");
        }
    }

    /// <summary>Reads the header's application id; null when the file is not a SQLite database (the store says why).</summary>
    private static uint? ReadApplicationId(FileInfo file)
    {
        try
        {
            using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            Span<byte> header = stackalloc byte[72];
            if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || !header[..16].SequenceEqual(SqliteMagic))
            {
                return null;
            }

            return BinaryPrimitives.ReadUInt32BigEndian(header[68..]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.FileError, $"cannot read '{file.FullName}': {e.Message}");
        }
    }

    private static SqliteCheckpointer Open(FileInfo file)
    {
        try
        {
            return SqliteCheckpointer.Open(file.FullName);
        }
        catch (CheckpointStoreException e)
        {
            throw new CliException(ExitCodes.StoreError, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.FileError, $"cannot open '{file.FullName}': {e.Message}");
        }
    }
}
