namespace Graph.Engine.Checkpoints;

/// <summary>Content equality and hashing for the byte buffers and collections inside checkpoint records.</summary>
internal static class ContentEquality
{
    public static bool Bytes(ReadOnlyMemory<byte> left, ReadOnlyMemory<byte> right) =>
        left.Span.SequenceEqual(right.Span);

    public static bool Bytes(ReadOnlyMemory<byte>? left, ReadOnlyMemory<byte>? right) =>
        left.HasValue == right.HasValue && (!left.HasValue || Bytes(left!.Value, right!.Value));

    public static bool Lists<T>(IReadOnlyList<T> left, IReadOnlyList<T> right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (left.Count != right.Count)
        {
            return false;
        }

        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < left.Count; i++)
        {
            if (!comparer.Equals(left[i], right[i]))
            {
                return false;
            }
        }

        return true;
    }

    public static bool Dictionaries(IReadOnlyDictionary<string, string> left, IReadOnlyDictionary<string, string> right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (left.Count != right.Count)
        {
            return false;
        }

        foreach (var (key, value) in left)
        {
            if (!right.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public static int Hash(ReadOnlyMemory<byte> bytes)
    {
        var hash = default(HashCode);
        hash.AddBytes(bytes.Span);
        return hash.ToHashCode();
    }
}
