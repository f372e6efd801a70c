namespace Graph.Engine.Workloads;

/// <summary>
/// A workload whose figure is the memory an idle instance (an actor with its mailbox) retains.
/// </summary>
/// <remarks>
/// The runner measures <see cref="GC.GetTotalMemory(bool)"/> before and after creating many idle
/// instances and divides by their number. <see cref="Workload.RunAsync"/> creates and releases
/// instances, so the creation cost is timed as well.
/// </remarks>
public abstract class IdleWorkload : Workload
{
    /// <summary>Creates an idle-memory workload.</summary>
    /// <param name="name">The workload name, normally <see cref="WorkloadNames.IdleActor"/>.</param>
    /// <param name="implementation">What runs it.</param>
    protected IdleWorkload(string name, string implementation)
        : base(name, implementation, MeasureKind.IdleMemory)
    {
    }

    /// <summary>Creates one instance and returns once it is idle (started and waiting for messages).</summary>
    /// <param name="cancellationToken">Cancels the creation.</param>
    /// <returns>The idle instance; the runner keeps it alive until <see cref="ReleaseAsync"/>.</returns>
    public abstract ValueTask<object> CreateIdleAsync(CancellationToken cancellationToken);

    /// <summary>Stops an instance created by <see cref="CreateIdleAsync"/>.</summary>
    /// <param name="instance">The instance to stop.</param>
    /// <returns>A task that completes when the instance has stopped.</returns>
    public abstract ValueTask ReleaseAsync(object instance);

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        for (var i = 0; i < iterations; i++)
        {
            await ReleaseAsync(await CreateIdleAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        }
    }
}
