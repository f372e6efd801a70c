using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;

namespace Graph.Engine.Orleans.Wire;

/// <summary>Converts a run's stream events to and from <see cref="WireEvent"/> (subgraph events stay on the silo).</summary>
internal static class WireEventCodec
{
    /// <summary>The wire form of <paramref name="e"/>, or null for an event that does not travel.</summary>
    public static WireEvent? Encode<TState, TUpdate>(WireCodec codec, GraphEvent e) => e switch
    {
        TaskStartedEvent t => new() { Kind = WireEventKind.TaskStarted, RunId = t.RunId, Step = t.Step, Id = t.Id, Node = t.Node, TaskIndex = t.TaskIndex },
        TaskFinishedEvent<TUpdate> t => new()
        {
            Kind = WireEventKind.TaskFinished, RunId = t.RunId, Step = t.Step, Id = t.Id, Node = t.Node, TaskIndex = t.TaskIndex,
            Bytes = t.Result.HasUpdate ? codec.Encode(t.Result.Update) : null,
        },
        StepFinishedEvent<TState> s => new() { Kind = WireEventKind.StepFinished, RunId = s.RunId, Step = s.Step, Id = s.Id, Bytes = codec.Encode(s.State), Nodes = [.. s.Nodes] },
        CustomEvent c => new() { Kind = WireEventKind.Custom, RunId = c.RunId, Step = c.Step, Id = c.Id, Node = c.Node, TaskIndex = c.TaskIndex, Payload = codec.EncodeValue(c.Payload) },
        JoinSkippedEvent j => new() { Kind = WireEventKind.JoinSkipped, RunId = j.RunId, Step = j.Step, Id = j.Id, Node = j.Target, Nodes = [.. j.FinishedSources], Missing = [.. j.MissingSources] },
        InterruptedEvent i => new() { Kind = WireEventKind.Interrupted, RunId = i.RunId, Step = i.Step, Id = i.Id, CheckpointId = i.CheckpointId, Interrupts = codec.Encode(i.Interrupts) },
        CheckpointSavedEvent c => new() { Kind = WireEventKind.CheckpointSaved, RunId = c.RunId, Step = c.Step, Id = c.Id, ThreadId = c.ThreadId, CheckpointId = c.CheckpointId, Source = (int)c.Source },
        EventsDroppedEvent d => new() { Kind = WireEventKind.EventsDropped, RunId = d.RunId, Step = d.Step, Id = d.Id, Count = d.Count },
        RunFinishedEvent<TState> f => new() { Kind = WireEventKind.RunFinished, RunId = f.RunId, Step = f.Step, Id = f.Id, Bytes = codec.Encode(f.State) },
        RunFailedEvent f => new() { Kind = WireEventKind.RunFailed, RunId = f.RunId, Step = f.Step, Id = f.Id, Message = $"{f.Exception.GetType().FullName}: {f.Exception.Message}" },
        _ => null,
    };

    /// <summary>The engine's event for <paramref name="e"/>; a failure travels as an <see cref="InvalidOperationException"/> with its type and message.</summary>
    public static GraphEvent Decode<TState, TUpdate>(WireCodec codec, WireEvent e)
    {
        GraphEvent decoded = e.Kind switch
        {
            WireEventKind.TaskStarted => new TaskStartedEvent(e.RunId, e.Step, e.Node!, e.TaskIndex),
            WireEventKind.TaskFinished => new TaskFinishedEvent<TUpdate>(
                e.RunId, e.Step, e.Node!, e.TaskIndex, e.Bytes is { } update ? NodeResult<TUpdate>.FromUpdate(codec.Decode<TUpdate>(update)) : NodeResult<TUpdate>.None),
            WireEventKind.StepFinished => new StepFinishedEvent<TState>(e.RunId, e.Step, codec.Decode<TState>(e.Bytes!), e.Nodes!),
            WireEventKind.Custom => new CustomEvent(e.RunId, e.Step, e.Node!, e.TaskIndex, codec.DecodeValue(e.Payload!)),
            WireEventKind.JoinSkipped => new JoinSkippedEvent(e.RunId, e.Step, e.Node!, e.Nodes!, e.Missing!),
            WireEventKind.Interrupted => new InterruptedEvent(e.RunId, e.Step, e.CheckpointId, codec.Decode(e.Interrupts!)),
            WireEventKind.CheckpointSaved => new CheckpointSavedEvent(e.RunId, e.Step, e.ThreadId!, e.CheckpointId ?? 0, (CheckpointSource)e.Source),
            WireEventKind.EventsDropped => new EventsDroppedEvent(e.RunId, e.Step, e.Count),
            WireEventKind.RunFinished => new RunFinishedEvent<TState>(e.RunId, e.Step, codec.Decode<TState>(e.Bytes!)),
            WireEventKind.RunFailed => new RunFailedEvent(e.RunId, e.Step, new InvalidOperationException(e.Message)),
            _ => throw new ArgumentException($"Unknown stream event kind {e.Kind}.", nameof(e)),
        };
        decoded.Id = e.Id;
        return decoded;
    }
}
