using System.Reflection;

namespace Graph.Engine.Tests.Support;

/// <summary>Prints a namespace's public surface so a test can lock it against a committed file (STYLE.md #7).</summary>
public static class PublicApi
{
    /// <summary>
    /// Compares the public surface of <paramref name="ns"/> with an approved file of this test project
    /// (<paramref name="approvedFile"/> is relative to tests/Engine.CSharp.Tests); on a difference writes
    /// <c>.received</c> next to it for review. The file is found from the repository root, not from
    /// [CallerFilePath], which CI builds map to <c>/_/</c>.
    /// </summary>
    public static void AssertMatchesApproved(string ns, string approvedFile) =>
        AssertMatchesApproved(typeof(EngineInfo).Assembly, ns, approvedFile);

    /// <summary>
    /// <see cref="AssertMatchesApproved(string, string)"/> for a namespace of another assembly (the F# bindings, the
    /// SQLite checkpointer).
    /// </summary>
    public static void AssertMatchesApproved(Assembly assembly, string ns, string approvedFile)
    {
        var approvedPath = Path.Combine(RepositoryRoot(), "tests", "Engine.CSharp.Tests", approvedFile);
        var actual = Describe(assembly, ns);
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : string.Empty;
        if (actual != approved)
        {
            File.WriteAllText(approvedPath + ".received", actual);
        }

        Assert.That(actual, Is.EqualTo(approved), $"The public API of {ns} changed; review {approvedPath}.received and replace the approved file if intended.");
    }

    private static string Describe(Assembly assembly, string ns)
    {
        var types = assembly.GetExportedTypes()
            .Where(t => t.Namespace == ns)
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        var lines = new List<string>();
        foreach (var t in types)
        {
            lines.Add($"{Kind(t)} {Name(t)}{(t.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum) ? " : " + Name(b) : string.Empty)}");
            const BindingFlags Flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            var members = t.GetMembers(Flags)
                .Where(m => m is not MethodInfo { IsSpecialName: true } || m.Name.StartsWith("op_", StringComparison.Ordinal))
                .Where(m => !m.Name.StartsWith('<'))
                .Select(Member)
                .OrderBy(s => s, StringComparer.Ordinal);
            lines.AddRange(members.Select(m => "    " + m));
        }

        return string.Join("\n", lines) + "\n";
    }

    private static string Kind(Type t) =>
        t.IsEnum ? "enum" : t.IsInterface ? "interface" : t.IsValueType ? "struct" : t.IsAbstract && t.IsSealed ? "static class" : t.IsSealed ? "sealed class" : t.IsAbstract ? "abstract class" : "class";

    private static string Member(MemberInfo m) => m switch
    {
        ConstructorInfo c => $"ctor({Params(c.GetParameters())})",
        MethodInfo mi => $"{(mi.IsStatic ? "static " : string.Empty)}{Name(mi.ReturnType)} {mi.Name}{(mi.IsGenericMethod ? "<" + string.Join(", ", mi.GetGenericArguments().Select(Name)) + ">" : string.Empty)}({Params(mi.GetParameters())})",
        PropertyInfo p => $"{(p.GetMethod?.IsStatic == true ? "static " : string.Empty)}{Name(p.PropertyType)} {p.Name} {{ {(p.GetMethod?.IsPublic == true ? "get; " : string.Empty)}{(p.SetMethod?.IsPublic == true ? "set; " : string.Empty)}}}",
        FieldInfo f => $"{(f.IsLiteral ? "const " : f.IsStatic ? "static " : string.Empty)}{Name(f.FieldType)} {f.Name}",
        EventInfo e => $"event {Name(e.EventHandlerType!)} {e.Name}",
        Type nested => $"nested {Name(nested)}",
        _ => m.ToString()!,
    };

    private static string Params(ParameterInfo[] ps) => string.Join(", ", ps.Select(p => $"{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue ?? "null") : string.Empty)}"));

    private static string Name(Type t)
    {
        if (t.IsByRef)
        {
            return "ref " + Name(t.GetElementType()!);
        }

        if (t.IsArray)
        {
            return Name(t.GetElementType()!) + "[]";
        }

        if (!t.IsGenericType)
        {
            return t.Name;
        }

        var tick = t.Name.IndexOf('`', StringComparison.Ordinal);
        var baseName = tick < 0 ? t.Name : t.Name[..tick];
        return $"{baseName}<{string.Join(", ", t.GetGenericArguments().Select(Name))}>";
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Graph.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Graph.sln not found above the test directory: run the tests inside the repository.");
    }
}
