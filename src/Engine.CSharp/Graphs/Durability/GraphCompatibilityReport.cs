using System.Text;

namespace Graph.Engine.Graphs;

/// <summary>
/// How the graph that wrote a thread's checkpoint differs from the graph asked to resume it (see
/// <see cref="GraphCompatibilityException"/>).
/// </summary>
/// <param name="ThreadId">The thread.</param>
/// <param name="CheckpointId">The checkpoint that was to be resumed.</param>
/// <param name="StoredFingerprint">The fingerprint the checkpoint recorded.</param>
/// <param name="CurrentFingerprint">The fingerprint of the resuming graph.</param>
/// <param name="NodesAdded">Nodes of the resuming graph the writing graph did not have, in ordinal order.</param>
/// <param name="NodesRemoved">Nodes of the writing graph the resuming graph lacks, in ordinal order.</param>
/// <param name="StoredStateType">The state type the checkpoint holds.</param>
/// <param name="CurrentStateType">The resuming graph's state type.</param>
/// <param name="StoredUpdateType">The writing graph's update type.</param>
/// <param name="CurrentUpdateType">The resuming graph's update type.</param>
/// <param name="PendingTasksOnMissingNodes">Nodes the checkpoint plans to run next that the resuming graph lacks.</param>
public sealed record GraphCompatibilityReport(
    string ThreadId,
    long CheckpointId,
    string StoredFingerprint,
    string CurrentFingerprint,
    IReadOnlyList<string> NodesAdded,
    IReadOnlyList<string> NodesRemoved,
    string StoredStateType,
    string CurrentStateType,
    string StoredUpdateType,
    string CurrentUpdateType,
    IReadOnlyList<string> PendingTasksOnMissingNodes)
{
    /// <summary>Whether the state type differs (a registered <see cref="StateMigrations"/> chain can bring it forward).</summary>
    public bool StateTypeChanged => !string.Equals(StoredStateType, CurrentStateType, StringComparison.Ordinal);

    /// <summary>Whether the update type differs (recorded task results of the old type cannot be read).</summary>
    public bool UpdateTypeChanged => !string.Equals(StoredUpdateType, CurrentUpdateType, StringComparison.Ordinal);

    /// <summary>The differences, one per line.</summary>
    /// <returns>A readable description.</returns>
    public override string ToString()
    {
        var text = new StringBuilder()
            .Append($"Checkpoint {CheckpointId} of thread '{ThreadId}' was written by graph {StoredFingerprint}; this graph is {CurrentFingerprint}.");
        if (NodesAdded.Count > 0)
        {
            text.Append($"\n  nodes added: {string.Join(", ", NodesAdded)}");
        }

        if (NodesRemoved.Count > 0)
        {
            text.Append($"\n  nodes removed: {string.Join(", ", NodesRemoved)}");
        }

        if (StateTypeChanged)
        {
            text.Append($"\n  state type: {StoredStateType} -> {CurrentStateType}");
        }

        if (UpdateTypeChanged)
        {
            text.Append($"\n  update type: {StoredUpdateType} -> {CurrentUpdateType}");
        }

        if (PendingTasksOnMissingNodes.Count > 0)
        {
            text.Append($"\n  pending tasks on nodes this graph lacks: {string.Join(", ", PendingTasksOnMissingNodes)}");
        }

        return text.ToString();
    }
}
