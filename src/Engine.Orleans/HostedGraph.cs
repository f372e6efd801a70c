using System.Threading.Channels;
using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Orleans.Wire;

namespace Graph.Engine.Orleans;

/// <summary>Adapts a <see cref="CompiledGraph{TState, TUpdate}"/> to the wire: states travel in the graph's own serializer.</summary>
internal sealed class HostedGraph<TState, TUpdate> : IHostedGraph
{
    private readonly CompiledGraph<TState, TUpdate> graph;
    private readonly bool owned;
    private readonly WireCodec codec;

    public HostedGraph(string name, CompiledGraph<TState, TUpdate> graph, bool owned)
    {
        Name = name;
        this.graph = graph;
        this.owned = owned;
        Checkpointer = graph.Options.Checkpointer
            ?? throw new ArgumentException($"Graph '{name}' has no checkpointer: a cluster needs one shared by every silo (GraphCompileOptions.Checkpointer).", nameof(graph));
        codec = new WireCodec(graph.Options.Serializer);
    }

    public string Name { get; }

    public ICheckpointer Checkpointer { get; }

    public async Task<WireRunResult> RunAsync(string threadId, WireRunCall call, CancellationToken cancellationToken)
    {
        var options = OptionsOf(threadId, call);
        var result = call.Resume
            ? await graph.ResumeAsync(threadId, ResumeOf(call), options, cancellationToken).ConfigureAwait(false)
            : await graph.RunAsync(InputOf(call), options, cancellationToken).ConfigureAwait(false);
        return codec.Encode(result);
    }

    public async Task<WireRunResult> StreamAsync(string threadId, WireRunCall call, ChannelWriter<WireEvent> events, CancellationToken cancellationToken)
    {
        if (call.Resume)
        {
            throw new ArgumentException("A streamed call starts a new run; resume with RunAsync or ResumeAsync.", nameof(call));
        }

        await foreach (var e in graph.StreamAsync(InputOf(call), OptionsOf(threadId, call), cancellationToken).ConfigureAwait(false))
        {
            if (WireEventCodec.Encode<TState, TUpdate>(codec, e) is { } wire)
            {
                await events.WriteAsync(wire, cancellationToken).ConfigureAwait(false);
            }
        }

        var snapshot = await graph.GetStateAsync(threadId).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Thread '{threadId}' has no checkpoint after its run.");
        return new WireRunResult
        {
            Interrupted = snapshot.Interrupts.Count > 0,
            State = codec.Encode(snapshot.Values),
            Interrupts = codec.Encode(snapshot.Interrupts),
            ThreadId = threadId,
            CheckpointId = snapshot.CheckpointId,
        };
    }

    private static RunOptions OptionsOf(string threadId, WireRunCall call) =>
        new()
        {
            RunId = call.CallId,
            ThreadId = threadId,
            StepLimit = call.StepLimit,
            CheckpointId = call.CheckpointId,
            InterruptBefore = call.InterruptBefore,
            InterruptAfter = call.InterruptAfter,
            AdmittedByHost = true, // the thread grain is the thread's one admission point (double texting, fences)
        };

    private TState InputOf(WireRunCall call) =>
        codec.Decode<TState>(call.Input ?? throw new ArgumentException("A new run needs an input state.", nameof(call)));

    public async Task<WireRunResult> ContinueAsync(string threadId, string callId, CancellationToken cancellationToken) =>
        codec.Encode(await graph.ResumeAsync(threadId, Resume.Continue, new RunOptions { RunId = callId, AdmittedByHost = true }, cancellationToken).ConfigureAwait(false));

    public async Task<WireSnapshot?> GetStateAsync(string threadId, long? checkpointId) =>
        await graph.GetStateAsync(threadId, checkpointId).ConfigureAwait(false) is { } snapshot ? codec.Encode(snapshot) : null;

    public async Task<WireSnapshot[]> GetStateHistoryAsync(string threadId, int? limit, long? before) =>
        [.. (await graph.GetStateHistoryAsync(threadId, limit, before).ConfigureAwait(false)).Select(codec.Encode)];

    public async Task<WireSnapshot> UpdateStateAsync(string threadId, byte[] update, string asNode, long? checkpointId, string callId) =>
        codec.Encode(await graph.UpdateStateAsRunAsync(threadId, codec.Decode<TUpdate>(update), asNode, checkpointId, callId, CancellationToken.None).ConfigureAwait(false));

    public async Task<WireSnapshot> ForkAsync(string threadId, long checkpointId, string callId) =>
        codec.Encode(await graph.ForkAsRunAsync(threadId, checkpointId, callId, CancellationToken.None).ConfigureAwait(false));

    public ValueTask DisposeAsync() => owned ? graph.DisposeAsync() : ValueTask.CompletedTask;

    private Resume ResumeOf(WireRunCall call)
    {
        if (call.ResumeValue is { } single)
        {
            return Resume.With(codec.DecodeValue(single));
        }

        return call.ResumeValues is { } values
            ? Resume.ById(values.ToDictionary(p => p.Key, p => codec.DecodeValue(p.Value), StringComparer.Ordinal))
            : Resume.Continue;
    }
}
