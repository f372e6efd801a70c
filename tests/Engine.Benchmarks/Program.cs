using BenchmarkDotNet.Running;

namespace Graph.Engine.Benchmarks;

/// <summary>Runs the BenchmarkDotNet suite: <c>dotnet run -c Release --project tests/Engine.Benchmarks -- --filter *</c>.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
