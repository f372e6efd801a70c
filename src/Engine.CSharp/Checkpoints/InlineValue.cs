using System.Runtime.CompilerServices;

namespace Graph.Engine.Checkpoints;

/// <summary>
/// How the in-memory store keeps a small immutable value without serializing it when it is saved: the value's bits
/// (<see cref="InlineBits{T}"/>) in a field of the store's record, and this object, one per value type, serializer
/// and encoding, shared by every record, to write the bytes a read returns. The bits are a copy of the value, so no
/// later change of the caller's can reach the store; and a serializer that is a function of the value writes, when the
/// checkpoint is read, the bytes it would have written when it was saved.
/// </summary>
internal abstract class InlineValue
{
    /// <summary>The serialized form of the value whose bits are <paramref name="bits"/> (a fresh array).</summary>
    public abstract byte[] ToBytes(long bits);
}

/// <summary>
/// A checkpoint state kept inline: serialized on read with the graph's serializer, as the runner would have
/// serialized it on save.
/// </summary>
/// <typeparam name="T">The state type (<see cref="InlineBits{T}.Supported"/>).</typeparam>
internal sealed class InlineState<T>(ICheckpointSerializer serializer) : InlineValue
{
    public override byte[] ToBytes(long bits) => CheckpointBuffers.Serialize(serializer, InlineBits<T>.To(bits));
}

/// <summary>
/// The types whose values fit in a <see langword="long"/>, hold no reference and are immutable, so a copy of their
/// bits is the value: <see langword="bool"/>, <see langword="char"/>, the integer types up to 64 bits,
/// <see langword="float"/>, <see langword="double"/>, <see cref="DateTime"/>, <see cref="TimeSpan"/>,
/// <see cref="DateOnly"/>, <see cref="TimeOnly"/> and enums.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
internal static class InlineBits<T>
{
    /// <summary>Whether values of <typeparamref name="T"/> can be kept as bits.</summary>
    public static readonly bool Supported = IsSupported(typeof(T));

    /// <summary>The bits of <paramref name="value"/> (the unused high bytes are zero).</summary>
    public static long From(T value)
    {
        long bits = 0;
        Unsafe.WriteUnaligned(ref Unsafe.As<long, byte>(ref bits), value);
        return bits;
    }

    /// <summary>The value whose bits are <paramref name="bits"/>.</summary>
    public static T To(long bits) => Unsafe.ReadUnaligned<T>(ref Unsafe.As<long, byte>(ref bits));

    private static bool IsSupported(Type type) =>
        !RuntimeHelpers.IsReferenceOrContainsReferences<T>() && Unsafe.SizeOf<T>() <= sizeof(long)
        && (type.IsEnum || (type.IsPrimitive && type != typeof(nint) && type != typeof(nuint))
            || type == typeof(DateTime) || type == typeof(TimeSpan) || type == typeof(DateOnly) || type == typeof(TimeOnly));
}
