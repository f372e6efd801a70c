using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>Versioning of durable threads: the graph fingerprint checkpoints record, and the check (with state migrations) on resume.</summary>
public sealed partial class CompiledGraph<TState, TUpdate>
{
    private GraphFingerprint? fingerprint;

    /// <summary>This graph's fingerprint, recorded in every checkpoint it writes.</summary>
    internal GraphFingerprint Fingerprint => fingerprint ??= GraphFingerprint.Of(Model);

    /// <summary>
    /// The checkpoint to resume, as this graph can run it: unchanged when this graph wrote it (or it predates
    /// fingerprints); with its state migrated and this graph's fingerprint when another graph wrote it and
    /// <see cref="GraphCompileOptions.StateMigrations"/> bring it forward; otherwise a <see cref="GraphCompatibilityException"/>.
    /// </summary>
    private Checkpoint Admit(Checkpoint checkpoint)
    {
        var stored = GraphFingerprint.Read(checkpoint);
        var current = Fingerprint;
        if (stored is null || string.Equals(stored.Hash, current.Hash, StringComparison.Ordinal))
        {
            return checkpoint;
        }

        var missing = checkpoint.NextTasks.Select(t => t.Node).Where(node => Model.Find(node) is null).Distinct().Order(StringComparer.Ordinal).ToArray();
        var report = new GraphCompatibilityReport(
            checkpoint.ThreadId,
            checkpoint.Id,
            stored.Hash,
            current.Hash,
            current.Nodes.Except(stored.Nodes, StringComparer.Ordinal).ToArray(),
            stored.Nodes.Except(current.Nodes, StringComparer.Ordinal).ToArray(),
            checkpoint.StateType,
            current.StateType,
            stored.UpdateType,
            current.UpdateType,
            missing);
        var migrations = options.StateMigrations
            ?? throw new GraphCompatibilityException(report, $"Thread '{checkpoint.ThreadId}' was written by a different graph. To resume it, set GraphCompileOptions.StateMigrations (StateMigrations.Empty when the state type is unchanged).");
        if (missing.Length > 0)
        {
            throw new GraphCompatibilityException(report, $"Checkpoint {checkpoint.Id} of thread '{checkpoint.ThreadId}' plans tasks on nodes this graph lacks.");
        }

        if (report.UpdateTypeChanged && checkpoint.PendingWrites.Any(write => write.Kind == PendingWriteKind.Update))
        {
            throw new GraphCompatibilityException(report, $"Checkpoint {checkpoint.Id} of thread '{checkpoint.ThreadId}' holds task results of update type {report.StoredUpdateType}, which this graph cannot read.");
        }

        var state = checkpoint.State;
        if (report.StateTypeChanged)
        {
            var path = migrations.PathOf(checkpoint.StateType, current.StateType)
                ?? throw new GraphCompatibilityException(report, $"No registered state migration leads from {checkpoint.StateType} to {current.StateType}.");
            state = migrations.Apply(options.Serializer, path, state);
        }

        return checkpoint with
        {
            State = state,
            StateType = current.StateType,
            Metadata = checkpoint.Metadata with { Properties = current.AddTo(checkpoint.Metadata.Properties) },
        };
    }
}
