using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Graph.Engine.Analyzers;

/// <summary>Reading operations: collection arguments, builder chains and the local a builder lives in, conversions.</summary>
public sealed partial class EdgeTargetAnalyzer
{
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
        if (!IsBuilder(top.Type, builderType))
        {
            return null; // the chain ends in Compile() or a rendering: the local holds something else
        }

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

        return RootsInNew(assignment.Value, builderType);
    }

    /// <summary>Whether <paramref name="value"/> is a <c>new</c> builder, possibly followed by a chain of its own methods.</summary>
    private static bool RootsInNew(IOperation value, INamedTypeSymbol builderType)
    {
        var current = Unwrap(value);
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
}
