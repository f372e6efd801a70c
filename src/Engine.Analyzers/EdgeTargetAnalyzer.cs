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
public sealed partial class EdgeTargetAnalyzer : DiagnosticAnalyzer
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
    private static readonly ImmutableHashSet<string> ReferenceMethods = ImmutableHashSet.Create("AddEdge", "AddConditionalEdges", "AddJoin", "OnNodeError");
    /// <summary>Builder methods that add no node and name none.</summary>
    private static readonly ImmutableHashSet<string> TerminalMethods = ImmutableHashSet.Create("Compile", "ToMermaid", "ToDot", "OnAnyNodeError", "SetBranchFailures", "CollectBranchFailures");

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
                        if (IsAssignedNew(local, builderType))
                        {
                            Use(builders, local.Local).Created = true;
                        }
                        else if (!IsReceiver(local, builderType))
                        {
                            Use(builders, local.Local).Escaped = true;
                        }

                        break;
                    case IVariableDeclaratorOperation { Initializer: { } initializer } declarator when IsBuilder(declarator.Symbol.Type, builderType):
                        if (RootsInNew(initializer.Value, builderType))
                        {
                            Use(builders, declarator.Symbol).Created = true;
                        }
                        else
                        {
                            Use(builders, declarator.Symbol).Escaped = true;
                        }

                        break;
                }
            }
        }

        foreach (var builder in builders.Values)
        {
            if (builder.Escaped || !builder.Created || builder.References.Count == 0)
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
        if (key is IObjectCreationOperation)
        {
            use.Created = true;
        }

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
                if (parameter is "from" or "to" or "target" or "node")
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

    private static BuilderUse Use(Dictionary<object, BuilderUse> builders, object key)
    {
        if (!builders.TryGetValue(key, out var use))
        {
            use = new BuilderUse();
            builders.Add(key, use);
        }

        return use;
    }
}
