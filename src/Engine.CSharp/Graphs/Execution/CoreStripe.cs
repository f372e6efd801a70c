using System.Numerics;
using System.Runtime.InteropServices;

namespace Graph.Engine.Graphs;

/// <summary>
/// One stripe of a count that every core updates (a node's slots, a graph's live runs): its own cache line, so threads
/// on different cores that count side by side write different lines instead of passing one line back and forth.
/// </summary>
/// <remarks>The struct spans two cache lines and its fields sit on the second, so no neighbour shares their line.</remarks>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct CoreStripe
{
    /// <summary>The stripe's count.</summary>
    [FieldOffset(64)]
    public int Count;

    /// <summary>The most the stripe may count, where the count is a share of a cap (set once).</summary>
    [FieldOffset(68)]
    public int Quota;

    /// <summary>How many stripes to use: the cores (or <paramref name="wanted"/>) rounded up to a power of two, halved while above <paramref name="max"/>.</summary>
    /// <param name="max">The most stripes that make sense (a cap split into quotas of at least one).</param>
    /// <param name="wanted">The stripes wanted; 0 for the cores.</param>
    public static int CountFor(int max, int wanted = 0)
    {
        var count = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, wanted > 0 ? wanted : Environment.ProcessorCount));
        while (count > Math.Max(1, max))
        {
            count >>= 1;
        }

        return count;
    }

    /// <summary>The stripe of the core the calling thread runs on, among <paramref name="count"/> (a power of two).</summary>
    public static int Current(int count) => Thread.GetCurrentProcessorId() & (count - 1);
}
