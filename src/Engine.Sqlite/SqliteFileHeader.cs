using System.Buffers.Binary;
using Graph.Engine.Checkpoints;

namespace Graph.Engine.Sqlite;

/// <summary>
/// Checks, before SQLite opens a file, that the file is whole: its length is a multiple of the page size its header
/// names and, when no log is beside it, is not shorter than the page count its header records. A file cut short
/// (even by one byte) is refused untouched instead of being read with its last page missing.
/// </summary>
internal static class SqliteFileHeader
{
    private const int HeaderSize = 100;

    public static void RequireWhole(string path)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        long length;
        int read;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            length = file.Length;
            read = file.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return; // unreadable here: SQLite reports it when it opens the file
        }

        var magic = "SQLite format 3\0"u8;
        if (read < magic.Length || !header[..magic.Length].SequenceEqual(magic))
        {
            return; // not a SQLite file: SQLite itself refuses it with its own message
        }

        if (read < HeaderSize)
        {
            throw Damaged(path, $"it is {length} bytes long, shorter than a SQLite header");
        }

        int pageSize = BinaryPrimitives.ReadUInt16BigEndian(header[16..]);
        pageSize = pageSize == 1 ? 65536 : pageSize;
        if (pageSize < 512 || (pageSize & (pageSize - 1)) != 0)
        {
            throw Damaged(path, $"its header names a page size of {pageSize} bytes");
        }

        if (length % pageSize != 0)
        {
            throw Damaged(path, $"its length {length} is not a multiple of its page size {pageSize} (the file was cut short or extended)");
        }

        var changeCounter = BinaryPrimitives.ReadUInt32BigEndian(header[24..]);
        var pages = BinaryPrimitives.ReadUInt32BigEndian(header[28..]);
        var validFor = BinaryPrimitives.ReadUInt32BigEndian(header[92..]);
        var quiet = !File.Exists(path + "-wal") && !File.Exists(path + "-journal");
        if (quiet && validFor == changeCounter && (long)pages * pageSize > length)
        {
            throw Damaged(path, $"its header records {pages} pages of {pageSize} bytes but the file is {length} bytes long (it was cut short)");
        }
    }

    private static CheckpointStoreException Damaged(string path, string what) =>
        new($"'{path}' is damaged: {what}; it was left untouched.");
}
