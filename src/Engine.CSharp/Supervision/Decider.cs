namespace Graph.Engine.Supervision;

/// <summary>Ready-made deciders for <see cref="SupervisorOptions.Decider"/>.</summary>
public static class Decider
{
    /// <summary>Every failure means "restart per the child's restart type": OTP's only behaviour. The default.</summary>
    public static Func<ChildFailure, SupervisorDirective> RestartAlways { get; } = static _ => SupervisorDirective.Restart;

    /// <summary>
    /// Maps exception types to directives. The most derived type listed that the exception is an instance of
    /// wins; anything else gets <paramref name="fallback"/>.
    /// </summary>
    /// <param name="map">Exception type to directive; every key must derive from <see cref="Exception"/>.</param>
    /// <param name="fallback">The directive for unlisted exceptions; defaults to <see cref="SupervisorDirective.Restart"/>.</param>
    /// <returns>The decider.</returns>
    /// <exception cref="ArgumentException">A key is not an exception type, or a directive is undefined.</exception>
    /// <example>
    /// <code>
    /// Decider.ByException(new Dictionary&lt;Type, SupervisorDirective&gt;
    /// {
    ///     [typeof(ArgumentException)] = SupervisorDirective.Resume,
    ///     [typeof(OutOfMemoryException)] = SupervisorDirective.Escalate,
    /// });
    /// </code>
    /// </example>
    public static Func<ChildFailure, SupervisorDirective> ByException(IReadOnlyDictionary<Type, SupervisorDirective> map, SupervisorDirective fallback = SupervisorDirective.Restart)
    {
        ArgumentNullException.ThrowIfNull(map);
        foreach (var (type, directive) in map)
        {
            if (!typeof(Exception).IsAssignableFrom(type))
            {
                throw new ArgumentException($"The decider maps '{type}', which is not an exception type.", nameof(map));
            }

            if (!Enum.IsDefined(directive))
            {
                throw new ArgumentException($"The decider maps '{type}' to an undefined directive {directive}.", nameof(map));
            }
        }

        if (!Enum.IsDefined(fallback))
        {
            throw new ArgumentException($"Undefined fallback directive {fallback}.", nameof(fallback));
        }

        var copy = map.ToDictionary(p => p.Key, p => p.Value);
        return failure =>
        {
            for (var type = failure.Exception.GetType(); type is not null; type = type.BaseType)
            {
                if (copy.TryGetValue(type, out var directive))
                {
                    return directive;
                }
            }

            return fallback;
        };
    }
}
