using System.Threading.Channels;
using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>
/// A run's event stream (<see cref="CompiledGraph{TState, TUpdate}.StreamAsync(TState, RunOptions?, CancellationToken)"/>):
/// each event of the run is written here, and built only when someone streams the run (a run nobody streams pays
/// one null check per event and never generates its id for them).
/// </summary>
/// <param name="writer">The stream's writer; null when nobody streams the run.</param>
/// <param name="run">The run (its id is read only when an event is written).</param>
internal readonly struct RunEvents<TState, TUpdate>(ChannelWriter<GraphEvent>? writer, IGraphRun run)
{
    public void TaskStarted(int step, string node, int index) =>
        writer?.TryWrite(new TaskStartedEvent(run.RunId, step, node, index));

    public void TaskFinished(int step, string node, int index, NodeResult<TUpdate> result, bool cached = false) =>
        writer?.TryWrite(new TaskFinishedEvent<TUpdate>(run.RunId, step, node, index, result) { Cached = cached });

    /// <summary>Whether someone streams the run (an event's payload is worth building).</summary>
    public bool IsStreaming => writer is not null;

    public void StepFinished(int step, TState state, IReadOnlyList<string> nodes) =>
        writer?.TryWrite(new StepFinishedEvent<TState>(run.RunId, step, state, nodes));

    public void Custom(int step, string node, int index, object? payload) =>
        writer?.TryWrite(new CustomEvent(run.RunId, step, node, index, payload));

    public void CheckpointSaved(int step, string threadId, long id, CheckpointSource source) =>
        writer?.TryWrite(new CheckpointSavedEvent(run.RunId, step, threadId, id, source));

    public void JoinSkipped(JoinSkippedEvent skipped) => writer?.TryWrite(skipped);

    public void RunFinished(int step, TState state) => writer?.TryWrite(new RunFinishedEvent<TState>(run.RunId, step, state));

    public void Interrupted(int step, long? checkpointId, IReadOnlyList<GraphInterrupt> interrupts) =>
        writer?.TryWrite(new InterruptedEvent(run.RunId, step, checkpointId, interrupts));

    public void RunFailed(int step, Exception error) => writer?.TryWrite(new RunFailedEvent(run.RunId, step, error));

    /// <summary>Completes when the stream's buffer has room (see <see cref="StreamOverflow.Wait"/>); at once when nobody streams the run.</summary>
    public ValueTask WaitForRoomAsync() => writer is EventSink sink ? sink.WaitForRoomAsync() : default;

    /// <summary>The sink of a subgraph task's run when the consumer wants subgraph events; otherwise null.</summary>
    public EventSink? ForSubgraph(int step, string taskId) =>
        writer is EventSink { WantsSubgraphs: true } sink ? new SubgraphEventForwarder(sink, run.RunId, step, taskId) : null;

    /// <summary>Ends the stream (after the run's last event).</summary>
    public void Complete() => writer?.TryComplete();
}
