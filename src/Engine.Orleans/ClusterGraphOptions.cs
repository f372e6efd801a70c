using Graph.Engine.Checkpoints;

namespace Graph.Engine.Orleans;

/// <summary>Options of a <see cref="ClusterGraph{TState, TUpdate}"/> client.</summary>
public sealed record ClusterGraphOptions
{
    /// <summary>Serializes states, updates and resume values; it must be the serializer the silos' graph uses.</summary>
    /// <value>Default <see cref="JsonCheckpointSerializer.Default"/>.</value>
    public ICheckpointSerializer Serializer { get; init; } = JsonCheckpointSerializer.Default;

    /// <summary>What a run does when its thread has one in flight.</summary>
    /// <value>Default <see cref="Orleans.DoubleTexting.Reject"/>.</value>
    public DoubleTexting DoubleTexting { get; init; } = DoubleTexting.Reject;

    /// <summary>
    /// How long a call is retried (with the same call id, so it runs once) while the cluster cannot answer it: a
    /// timed-out call, or a silo that died with the thread. After that the last error is thrown.
    /// </summary>
    /// <value>Default 2 minutes.</value>
    public TimeSpan RetryFor { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long one grain call waits for a run before the client asks again (with the same call id). It bounds how
    /// long a client waits on a silo that died: the next ask reaches the silo that took the thread over.
    /// </summary>
    /// <value>Default 5 seconds.</value>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The pause between two tries.</summary>
    /// <value>Default 200 ms.</value>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The clock of the retry deadline and pauses.</summary>
    /// <value>Default <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
