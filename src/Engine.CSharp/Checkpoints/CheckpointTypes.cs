using System.Collections.Concurrent;

namespace Graph.Engine.Checkpoints;

/// <summary>
/// The closed set of types whose values the runner reads back by a type name recorded in a checkpoint: interrupt
/// payloads and the resume values given to them. A name read from storage only ever selects a type of this set;
/// no type is ever loaded by name, so a forged or damaged record cannot make the runner construct an arbitrary type.
/// </summary>
/// <remarks>
/// <para>
/// The set holds the common built-in types (<see cref="string"/>, the numeric types, <see cref="bool"/>,
/// <see cref="Guid"/>, date and time types, <c>byte[]</c>, <c>string[]</c>), every type whose value a run of this
/// process has recorded, and the types registered with <see cref="Register"/>. A process that reads a thread written
/// earlier (after a restart, or by another process) registers the payload types its nodes use at startup;
/// otherwise reading such a value is a <see cref="CheckpointStoreException"/> naming the type.
/// </para>
/// <para>State, update and <c>Send</c> argument types are not looked up here: the compiled graph declares them.</para>
/// </remarks>
public static class CheckpointTypes
{
    private static readonly ConcurrentDictionary<string, Type> Known = new(StringComparer.Ordinal);

    static CheckpointTypes()
    {
        Type[] builtIn =
        [
            typeof(string), typeof(bool), typeof(char), typeof(byte), typeof(sbyte), typeof(short), typeof(ushort),
            typeof(int), typeof(uint), typeof(long), typeof(ulong), typeof(float), typeof(double), typeof(decimal),
            typeof(Guid), typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan), typeof(DateOnly), typeof(TimeOnly),
            typeof(byte[]), typeof(string[]),
        ];
        foreach (var type in builtIn)
        {
            Register(type);
        }
    }

    /// <summary>Adds <paramref name="type"/> to the set (idempotent, thread-safe).</summary>
    /// <param name="type">A type whose values nodes pass to <c>NodeContext.Interrupt</c> or resume interrupts with.</param>
    /// <exception cref="ArgumentNullException"><paramref name="type"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="type"/> is an open generic type, a pointer or a by-ref type.</exception>
    public static void Register(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.ContainsGenericParameters || type.IsPointer || type.IsByRef)
        {
            throw new ArgumentException($"Type '{type}' cannot hold a checkpointed value (open generic, pointer or by-ref).", nameof(type));
        }

        Known.TryAdd(NameOf(type), type);
        if (type.FullName is { } fullName)
        {
            Known.TryAdd(fullName, type);
        }
    }

    /// <summary>Adds <typeparamref name="T"/> to the set.</summary>
    /// <typeparam name="T">The type.</typeparam>
    public static void Register<T>() => Register(typeof(T));

    /// <summary>Whether <paramref name="type"/> is in the set.</summary>
    /// <param name="type">The type.</param>
    /// <returns><see langword="true"/> when a recorded name can select it.</returns>
    public static bool IsRegistered(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Known.TryGetValue(NameOf(type), out var known) && known == type;
    }

    /// <summary>The name recorded for a value of <paramref name="type"/> (as <see cref="Checkpoint.StateTypeNameOf"/>, no assembly versions).</summary>
    internal static string NameOf(Type type) => Checkpoint.StateTypeNameOf(type);

    /// <summary>
    /// The registered type a recorded name denotes. Names recorded by earlier versions (assembly-qualified) are matched
    /// by their full name, without loading anything.
    /// </summary>
    internal static Type Resolve(string recordedName, string what)
    {
        if (Known.TryGetValue(recordedName, out var type) || Known.TryGetValue(WithoutAssembly(recordedName), out type))
        {
            return type;
        }

        throw new CheckpointStoreException(
            $"A recorded {what} has type '{recordedName}', which is not a registered checkpoint type; call CheckpointTypes.Register(typeof(...)) for it at startup. Types are never loaded by a name read from storage.");
    }

    /// <summary>The full name part of an assembly-qualified name (the text before the first comma outside brackets).</summary>
    private static string WithoutAssembly(string name)
    {
        var depth = 0;
        for (var i = 0; i < name.Length; i++)
        {
            switch (name[i])
            {
                case '[':
                    depth++;
                    break;
                case ']':
                    depth--;
                    break;
                case ',' when depth == 0:
                    return name[..i];
            }
        }

        return name;
    }
}
