using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Graph.Engine.Analyzers;

/// <summary>
/// GRAPH001: an edge, a router's declared target, a path-map value or a join names a node that the same
/// <c>StateGraph&lt;TState, TUpdate&gt;</c> builder never adds. LangGraph finds these at run time and the engine at
/// <c>Compile()</c>; this finds them while the code is typed.
/// </summary>
/// <remarks>
/// Only builders whose whole life is visible in one method body are checked: a local (or a fluent chain) created
/// there with <c>new</c>, used only as the receiver of the builder's own methods, whose node names are all constants.
/// A builder passed to or returned from another method, kept in a field, or given a computed node name, is skipped:
/// the analyzer never guesses, so it never reports a node that exists.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EdgeTargetAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The diagnostic id.</summary>
    public const string DiagnosticId = "GRAPH001";

    private const string BuilderTypeName = "Graph.Engine.Graphs.StateGraph`2";
    private const string Start = "__start__";
    private const string End = "__end__";

    private static readonly DiagnosticDescriptor Rule = new(
        DiagnosticId,
        title: "Edge names a node the graph does not have",
        messageFormat: "'{0}' is not a node of this graph: {1} names it, but no AddNode, AddWorker or AddSubgraph on the same builder adds it (nodes: {2})",
        category: "Graph.Usage",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Every edge source and target, router target, path-map value and join source or target must be a node added to the same builder, or StateGraph.Start/StateGraph.End.");

    private static readonly ImmutableHashSet<string> NodeMethods = ImmutableHashSet.Create("AddNode", "AddWorker", "AddSubgraph");
    private static readonly ImmutableHashSet<string> ReferenceMethods = ImmutableHashSet.Create("AddEdge", "AddConditionalEdges", "AddJoin");
    private static readonly ImmutableHashSet<string> TerminalMethods = ImmutableHashSet.Create("Compile", "ToMermaid", "ToDot");

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var builderType = start.Compilation.GetTypeByMetadataName(BuilderTypeName);
            if (builderType is null)
            {
                return;
            }

            start.RegisterOperationBlockAction(block => AnalyzeBlock(block, builderType));
        });
    }

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, INamedTypeSymbol builderType)
    {
        var builders = new Dictionary<object, BuilderUse>(KeyComparer.Instance);
        foreach (var root in context.OperationBlocks)
        {
            foreach (var operation in root.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case IInvocationOperation call when IsBuilder(call.TargetMethod.ContainingType, builderType):
                        Record(call, builderType, builders);
                        break;
                    case ILocalReferenceOperation local when IsBuilder(local.Local.Type, builderType):
                        if (!IsReceiver(local, builderType) && !IsAssignedNew(local, builderType))
                        {
                            Use(builders, local.Local).Escaped = true;
                        }

                        break;
                }
            }
        }

        foreach (var builder in builders.Values)
        {
            if (builder.Escaped || builder.References.Count == 0)
            {
                continue;
            }

            var shown = builder.Nodes.Count == 0 ? "none" : string.Join(", ", builder.Nodes.OrderBy(n => n, System.StringComparer.Ordinal).Select(n => $"'{n}'"));
            foreach (var reference in builder.References)
            {
                if (reference.Name is Start or End || builder.Nodes.Contains(reference.Name))
                {
                    continue;
                }

                context.ReportDiagnostic(Diagnostic.Create(Rule, reference.Location, reference.Name, reference.Role, shown));
            }
        }
    }

    private static void Record(IInvocationOperation call, INamedTypeSymbol builderType, Dictionary<object, BuilderUse> builders)
    {
        var key = BuilderKey(call, builderType);
        if (key is null)
        {
            return;
        }

        var use = Use(builders, key);
        var method = call.TargetMethod.Name;
        if (IsChainTop(call, builderType) && !ChainEndsHere(call, builderType, key))
        {
            use.Escaped = true;
        }

        if (NodeMethods.Contains(method))
        {
            var name = Argument(call, "name");
            if (name is { ConstantValue: { HasValue: true, Value: string constant } })
            {
                use.Nodes.Add(constant);
            }
            else
            {
                use.Escaped = true;
            }
        }
        else if (ReferenceMethods.Contains(method))
        {
            foreach (var argument in call.Arguments)
            {
                var parameter = argument.Parameter?.Name;
                var role = $"{method}'s {parameter}";
                if (parameter is "from" or "to" or "target")
                {
                    AddReference(use, argument.Value, role);
                }
                else if (parameter is "targets" or "sources" or "pathMap")
                {
                    foreach (var element in Elements(argument.Value))
                    {
                        AddReference(use, element, role);
                    }
                }
            }
        }
        else if (!TerminalMethods.Contains(method))
        {
            // A builder method this analyzer does not know (a newer overload may add nodes): never guess.
            use.Escaped = true;
        }
    }

    private static void AddReference(BuilderUse use, IOperation value, string role)
    {
        if (value.ConstantValue is { HasValue: true, Value: string name })
        {
            use.References.Add(new Reference(name, role, value.Syntax.GetLocation()));
        }
    }

    /// <summary>The constant elements of a collection argument: array or collection initializers, collection expressions, dictionary values.</summary>
    private static IEnumerable<IOperation> Elements(IOperation value)
    {
        value = Unwrap(value);
        switch (value)
        {
            case IArrayCreationOperation { Initializer: { } initializer }:
                return initializer.ElementValues;
            case IObjectCreationOperation { Initializer: { } initializer }:
                return initializer.Initializers.Select(DictionaryOrListValue).Where(v => v is not null).Select(v => v!);
            default:
                // A collection expression ([..]) in compilers newer than the one this analyzer is built against.
                return value.Kind == OperationKind.None || !IsKnownKind(value.Kind)
                    ? value.ChildOperations.Select(Unwrap)
                    : Enumerable.Empty<IOperation>();
        }
    }

    private static bool IsKnownKind(OperationKind kind) =>
        kind is OperationKind.Invocation or OperationKind.LocalReference or OperationKind.FieldReference or OperationKind.PropertyReference
            or OperationKind.ParameterReference or OperationKind.Literal or OperationKind.Conversion;

    private static IOperation? DictionaryOrListValue(IOperation initializer) => initializer switch
    {
        IInvocationOperation { Arguments.Length: > 0 } add => add.Arguments[add.Arguments.Length - 1].Value,
        ISimpleAssignmentOperation assignment => assignment.Value,
        _ => null,
    };

    /// <summary>The builder an invocation works on: a local, or the object creation of a chain not stored anywhere.</summary>
    private static object? BuilderKey(IInvocationOperation call, INamedTypeSymbol builderType)
    {
        IOperation? current = call;
        while (current is IInvocationOperation invocation && IsBuilder(invocation.TargetMethod.ContainingType, builderType))
        {
            current = invocation.Instance is null ? null : Unwrap(invocation.Instance);
        }

        switch (current)
        {
            case ILocalReferenceOperation local:
                return local.Local;
            case IObjectCreationOperation creation:
                return OwnerLocal(creation, builderType) ?? (object)creation;
            default:
                return null;
        }
    }

    /// <summary>The local a chain starting at <paramref name="creation"/> is stored in, if any.</summary>
    private static ILocalSymbol? OwnerLocal(IOperation creation, INamedTypeSymbol builderType)
    {
        var top = ChainTop(creation, builderType);
        var parent = SkipConversions(top.Parent);
        return parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } => target.Local,
            _ => null,
        };
    }

    private static IOperation ChainTop(IOperation operation, INamedTypeSymbol builderType)
    {
        var current = operation;
        while (SkipConversions(current.Parent) is IInvocationOperation parent
            && IsBuilder(parent.TargetMethod.ContainingType, builderType)
            && parent.Instance is not null
            && ReferenceEquals(Unwrap(parent.Instance), current))
        {
            current = parent;
        }

        return current;
    }

    private static bool IsChainTop(IInvocationOperation call, INamedTypeSymbol builderType) => ReferenceEquals(ChainTop(call, builderType), call);

    /// <summary>Whether the builder a chain returns goes nowhere else: discarded, stored in its own local, or not a builder any more.</summary>
    private static bool ChainEndsHere(IInvocationOperation top, INamedTypeSymbol builderType, object key)
    {
        if (!IsBuilder(top.Type, builderType))
        {
            return true;
        }

        return SkipConversions(top.Parent) switch
        {
            IExpressionStatementOperation => true,
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => KeyComparer.Instance.Equals(declarator.Symbol, key),
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } => KeyComparer.Instance.Equals(target.Local, key),
            _ => false,
        };
    }

    private static bool IsReceiver(ILocalReferenceOperation local, INamedTypeSymbol builderType) =>
        SkipConversions(local.Parent) is IInvocationOperation call
            && IsBuilder(call.TargetMethod.ContainingType, builderType)
            && call.Instance is not null
            && ReferenceEquals(Unwrap(call.Instance), local);

    private static bool IsAssignedNew(ILocalReferenceOperation local, INamedTypeSymbol builderType)
    {
        if (SkipConversions(local.Parent) is not ISimpleAssignmentOperation assignment || !ReferenceEquals(assignment.Target, local))
        {
            return false;
        }

        IOperation current = Unwrap(assignment.Value);
        while (current is IInvocationOperation invocation && IsBuilder(invocation.TargetMethod.ContainingType, builderType) && invocation.Instance is not null)
        {
            current = Unwrap(invocation.Instance);
        }

        return current is IObjectCreationOperation;
    }

    private static IOperation? Argument(IInvocationOperation call, string parameter) =>
        call.Arguments.FirstOrDefault(a => a.Parameter?.Name == parameter)?.Value is { } value ? Unwrap(value) : null;

    private static bool IsBuilder(ITypeSymbol? type, INamedTypeSymbol builderType) =>
        type is INamedTypeSymbol named && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, builderType);

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private static IOperation? SkipConversions(IOperation? operation)
    {
        while (operation is IConversionOperation)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    private static BuilderUse Use(Dictionary<object, BuilderUse> builders, object key)
    {
        if (!builders.TryGetValue(key, out var use))
        {
            use = new BuilderUse();
            builders.Add(key, use);
        }

        return use;
    }

    /// <summary>Locals compare as symbols; chains without a local by the identity of their object creation.</summary>
    private sealed class KeyComparer : IEqualityComparer<object>
    {
        public static readonly KeyComparer Instance = new();

        public new bool Equals(object? x, object? y) =>
            x is ISymbol a && y is ISymbol b ? SymbolEqualityComparer.Default.Equals(a, b) : ReferenceEquals(x, y);

        public int GetHashCode(object obj) =>
            obj is ISymbol symbol ? SymbolEqualityComparer.Default.GetHashCode(symbol) : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }

    private sealed class BuilderUse
    {
        public HashSet<string> Nodes { get; } = new(System.StringComparer.Ordinal);

        public List<Reference> References { get; } = new();

        public bool Escaped { get; set; }
    }

    private sealed class Reference
    {
        public Reference(string name, string role, Location location)
        {
            Name = name;
            Role = role;
            Location = location;
        }

        public string Name { get; }

        public string Role { get; }

        public Location Location { get; }
    }
}
