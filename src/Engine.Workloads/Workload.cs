using Graph.Engine.Workloads.Measuring;

namespace Graph.Engine.Workloads;

/// <summary>
/// One implementation of one workload of PERFORMANCE.md: the engine's, or a raw baseline's.
/// </summary>
/// <remarks>
/// A workload is set up once (<see cref="SetupAsync"/>), run many times in batches of
/// <c>iterations</c> (<see cref="RunAsync"/>) and torn down once (<see cref="TeardownAsync"/>).
/// Construction must be cheap: heavy work belongs in <see cref="SetupAsync"/>.
/// An iteration performs <see cref="OperationsPerIteration"/> operations (runs or messages);
/// figures are reported per operation.
/// </remarks>
public abstract class Workload
{
    /// <summary>Creates a workload.</summary>
    /// <param name="name">The workload name, one of <see cref="WorkloadNames"/>.</param>
    /// <param name="implementation">What runs it, such as <c>engine</c> or <c>ActionBlock</c>.</param>
    /// <param name="kind">What it reports.</param>
    /// <param name="operationsPerIteration">Runs or messages performed by one iteration; at least 1.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="implementation"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="operationsPerIteration"/> is less than 1.</exception>
    protected Workload(string name, string implementation, MeasureKind kind, int operationsPerIteration = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(implementation);
        ArgumentOutOfRangeException.ThrowIfLessThan(operationsPerIteration, 1);
        Name = name;
        Implementation = implementation;
        Kind = kind;
        OperationsPerIteration = operationsPerIteration;
    }

    /// <summary>Gets the workload name, one of <see cref="WorkloadNames"/>.</summary>
    public string Name { get; }

    /// <summary>Gets what runs the workload: <see cref="EngineImplementation"/> or the name of a baseline.</summary>
    public string Implementation { get; }

    /// <summary>Gets what the workload reports.</summary>
    public MeasureKind Kind { get; }

    /// <summary>Gets the number of operations (runs or messages) one iteration performs.</summary>
    /// <value>At least 1; 1000 for chain10-x1000, 100,000 for hop.</value>
    public int OperationsPerIteration { get; }

    /// <summary>The <see cref="Implementation"/> of engine workloads.</summary>
    public const string EngineImplementation = "engine";

    /// <summary>Builds what the runs need (actors, graphs, files). Called once before any run.</summary>
    /// <param name="cancellationToken">Cancels the setup.</param>
    /// <returns>A task that completes when the workload is ready.</returns>
    public virtual ValueTask SetupAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Performs <paramref name="iterations"/> iterations and completes when all are done.</summary>
    /// <param name="iterations">How many iterations to run; at least 1.</param>
    /// <param name="cancellationToken">Cancels the batch.</param>
    /// <returns>A task that completes when every iteration has finished.</returns>
    /// <exception cref="InvalidOperationException">A run produced a wrong result.</exception>
    public abstract ValueTask RunAsync(int iterations, CancellationToken cancellationToken);

    /// <summary>Releases what <see cref="SetupAsync"/> built. Called once, also after a failure.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    public virtual ValueTask TeardownAsync() => ValueTask.CompletedTask;

    /// <summary>Gets what the workload's checkpoint store did per run, read after <see cref="TeardownAsync"/>; null for workloads without one.</summary>
    public virtual StoreFigures? Store => null;

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Implementation})";

    /// <summary>Throws when a run's result differs from the expected one, so no broken workload is ever timed.</summary>
    /// <param name="actual">The result of the run.</param>
    /// <param name="expected">The result it must have.</param>
    /// <exception cref="InvalidOperationException">The two differ.</exception>
    protected void Check(long actual, long expected)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"Workload {this} produced {actual}, expected {expected}.");
        }
    }
}
