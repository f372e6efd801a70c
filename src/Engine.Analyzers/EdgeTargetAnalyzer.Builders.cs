using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Graph.Engine.Analyzers;

/// <summary>What the analyzer learns about each builder in a method.</summary>
public sealed partial class EdgeTargetAnalyzer
{
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

        /// <summary>Whether the builder is known to start as <c>new</c> here (not a factory's, a parameter's or a pattern's).</summary>
        public bool Created { get; set; }
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
