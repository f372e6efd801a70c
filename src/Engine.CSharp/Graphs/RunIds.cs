using System.Buffers.Binary;

namespace Graph.Engine.Graphs;

/// <summary>
/// Generated run ids: 32 hexadecimal digits, like a GUID in "N" format, made of 128 random bits drawn once per process
/// plus a per-process counter added to the low 64 bits. Unique within a process by construction and across processes
/// as random GUIDs are, without the <see cref="Guid.NewGuid"/> per run, which reads the system's random source (a
/// system call on Linux, microseconds under load). Not secret: a run id is an identifier, not a credential.
/// </summary>
internal static class RunIds
{
    private static readonly Guid Base = Guid.NewGuid();
    private static long issued;

    /// <summary>The number of a new run id (never 0): its text is <see cref="Format"/>, made only when read.</summary>
    public static long NextNumber() => Interlocked.Increment(ref issued);

    /// <summary>The text of run id number <paramref name="number"/> (the same text for the same number).</summary>
    public static string Format(long number)
    {
        Span<byte> bytes = stackalloc byte[16];
        Base.TryWriteBytes(bytes);
        var low = bytes[8..];
        BinaryPrimitives.WriteUInt64LittleEndian(low, BinaryPrimitives.ReadUInt64LittleEndian(low) + (ulong)number);
        return new Guid(bytes).ToString("N");
    }
}
