namespace Graph.Engine.Tests.Support;

/// <summary>The most of a count seen by concurrent threads (how many ran at once).</summary>
internal static class Peak
{
    /// <summary>Raises <paramref name="peak"/> to <paramref name="value"/> if it is higher, atomically.</summary>
    public static void Raise(ref int peak, int value)
    {
        var current = Volatile.Read(ref peak);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref peak, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
