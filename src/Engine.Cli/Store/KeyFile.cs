using Graph.Engine.Checkpoints;

namespace Graph.Cli.Store;

/// <summary>
/// Reads the keys of a <see cref="ProtectedCheckpointer"/> from a file (<c>--key-file PATH</c>), never from the command
/// line, where other users and the shell history would see them. One key per line as <c>ID:BASE64</c> (at least 32
/// bytes; blank lines and lines starting with <c>#</c> are skipped); the last key is the current one (new checkpoints
/// are sealed with it), the others still read. On Unix the file must not be readable or writable by group or others.
/// </summary>
internal static class KeyFile
{
    /// <summary>The keys in <paramref name="file"/>; a missing, open or malformed file is a <see cref="CliException"/> that never shows key bytes.</summary>
    public static CheckpointKeys Read(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new CliException(ExitCodes.FileError, $"key file '{file.FullName}' does not exist.");
        }

        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode open = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
            var mode = File.GetUnixFileMode(file.FullName);
            if ((mode & open) != 0)
            {
                throw new CliException(
                    ExitCodes.FileError,
                    $"key file '{file.FullName}' can be read or written by other users (mode {Convert.ToString((int)mode, 8)}); make it private with 'chmod 600 {Commands.CommonOptions.Quote(file.FullName)}'.");
            }
        }

        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        string? current = null;
        var number = 0;
        foreach (var raw in File.ReadLines(file.FullName))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var id = colon > 0 ? line[..colon].Trim() : string.Empty;
            var key = new byte[line.Length];
            if (id.Length == 0 || !Convert.TryFromBase64String(line[(colon + 1)..].Trim(), key, out var length))
            {
                throw Malformed(file, number, "is not 'ID:BASE64'");
            }

            if (length < CheckpointKeys.MinimumKeyLength)
            {
                throw Malformed(file, number, $"holds a {length}-byte key; keys are at least {CheckpointKeys.MinimumKeyLength} bytes");
            }

            if (!keys.TryAdd(id, key[..length]))
            {
                throw Malformed(file, number, $"repeats the key id '{id}'");
            }

            current = id;
        }

        if (current is null)
        {
            throw new CliException(ExitCodes.Usage, $"key file '{file.FullName}' holds no key (one 'ID:BASE64' line per key).");
        }

        try
        {
            return new CheckpointKeys(current, keys);
        }
        catch (ArgumentException e)
        {
            throw new CliException(ExitCodes.Usage, $"key file '{file.FullName}': {e.Message}");
        }
    }

    private static CliException Malformed(FileInfo file, int line, string problem) =>
        new(ExitCodes.Usage, $"key file '{file.FullName}' line {line} {problem}.");
}
