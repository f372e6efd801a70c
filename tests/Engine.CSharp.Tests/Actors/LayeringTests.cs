using System.Reflection;
using Graph.Engine.Actors;

namespace Graph.Engine.Tests.Actors;

/// <summary>
/// The actor layer depends on nothing above it (docs/concurrency.md, "Layering"): no type of
/// <c>Graph.Engine.Actors</c> names a type of the supervision, graph, checkpoint or hosting layers in its base types,
/// fields, properties or method signatures, and <c>Graph.Engine.Diagnostics</c> names no actor type.
/// </summary>
public class LayeringTests
{
    private const BindingFlags Everything =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly string[] AboveActors =
        ["Graph.Engine.Supervision", "Graph.Engine.Graphs", "Graph.Engine.Checkpoints", "Graph.Engine.Hosting"];

    [Test]
    public void ActorsNamespace_Signatures_NameNoTypeOfAHigherLayer()
    {
        var offending = ReferencesFrom("Graph.Engine.Actors")
            .Where(r => AboveActors.Any(ns => r.Referenced.StartsWith(ns + ".", StringComparison.Ordinal)))
            .Select(r => $"{r.From} -> {r.Referenced}")
            .Distinct()
            .ToList();

        Assert.That(offending, Is.Empty);
    }

    [Test]
    public void DiagnosticsNamespace_Signatures_NameNoActorType()
    {
        var offending = ReferencesFrom("Graph.Engine.Diagnostics")
            .Where(r => r.Referenced.StartsWith("Graph.Engine.Actors.", StringComparison.Ordinal))
            .Select(r => $"{r.From} -> {r.Referenced}")
            .Distinct()
            .ToList();

        Assert.That(offending, Is.Empty);
    }

    [Test]
    public void ActorEvents_LiveInTheActorLayer()
    {
        // The check above is only as good as its reach: the event records are the edge it once found.
        Assert.That(typeof(ActorStopped).Namespace, Is.EqualTo("Graph.Engine.Actors"));
        Assert.That(ReferencesFrom("Graph.Engine.Actors").Select(r => r.Referenced),
            Does.Contain(typeof(ActorState).FullName), "the scan sees the actor types' own signatures");
    }

    private static IEnumerable<(string From, string Referenced)> ReferencesFrom(string ns)
    {
        var types = typeof(ActorSystem).Assembly.GetTypes()
            .Where(t => t.Namespace == ns);
        foreach (var type in types)
        {
            foreach (var used in SignatureTypes(type))
            {
                foreach (var named in Expand(used))
                {
                    if (named.FullName is { } name) yield return (type.FullName ?? type.Name, name);
                }
            }
        }
    }

    private static IEnumerable<Type> SignatureTypes(Type type)
    {
        if (type.BaseType is { } baseType) yield return baseType;
        foreach (var i in type.GetInterfaces()) yield return i;
        foreach (var f in type.GetFields(Everything)) yield return f.FieldType;
        foreach (var p in type.GetProperties(Everything)) yield return p.PropertyType;
        foreach (var e in type.GetEvents(Everything))
        {
            if (e.EventHandlerType is { } handler) yield return handler;
        }
        foreach (var c in type.GetConstructors(Everything))
        {
            foreach (var p in c.GetParameters()) yield return p.ParameterType;
        }
        foreach (var m in type.GetMethods(Everything))
        {
            yield return m.ReturnType;
            foreach (var p in m.GetParameters()) yield return p.ParameterType;
        }
    }

    private static IEnumerable<Type> Expand(Type type)
    {
        if (type.HasElementType && type.GetElementType() is { } element)
        {
            foreach (var t in Expand(element)) yield return t;
            yield break;
        }
        if (type.IsGenericParameter) yield break;
        yield return type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (!type.IsGenericType) yield break;
        foreach (var argument in type.GetGenericArguments())
        {
            foreach (var t in Expand(argument)) yield return t;
        }
    }
}
