using System.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>
/// How <c>ResumeAsync</c> continues a thread: <see cref="Continue"/> (after a crash, a failure or a static interrupt),
/// <see cref="With"/> (the value returned by the one pending <see cref="NodeContext.Interrupt{TResume}(object?)"/>) or
/// <see cref="ById"/> (values for several pending interrupts).
/// </summary>
[DebuggerDisplay("Resume {Values.Count} value(s)")]
public sealed class Resume
{
    private Resume(object? single, bool hasSingle, IReadOnlyDictionary<string, object?> values)
    {
        Single = single;
        HasSingle = hasSingle;
        Values = values;
    }

    /// <summary>Continue without values: unfinished tasks run again (dynamic interrupts without a value interrupt again).</summary>
    public static Resume Continue { get; } = new(null, false, new Dictionary<string, object?>());

    /// <summary>The values by interrupt id (empty for <see cref="Continue"/> and <see cref="With"/>).</summary>
    public IReadOnlyDictionary<string, object?> Values { get; }

    internal object? Single { get; }

    internal bool HasSingle { get; }

    /// <summary>Resumes the thread's only pending dynamic interrupt with <paramref name="value"/>.</summary>
    /// <param name="value">What <see cref="NodeContext.Interrupt{TResume}(object?)"/> returns.</param>
    /// <returns>The resume.</returns>
    public static Resume With(object? value) => new(value, true, new Dictionary<string, object?>());

    /// <summary>Resumes pending interrupts by id; interrupts not named run again and interrupt again.</summary>
    /// <param name="values">The values by <see cref="GraphInterrupt.Id"/>.</param>
    /// <returns>The resume.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public static Resume ById(IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(null, false, new Dictionary<string, object?>(values, StringComparer.Ordinal));
    }
}
