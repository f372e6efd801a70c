using System.Threading.Channels;

namespace Graph.Engine.Graphs;

/// <summary>Double texting: admitting a run on a thread that may have one in flight (<see cref="MultitaskStrategy"/>).</summary>
public sealed partial class CompiledGraph<TState, TUpdate>
{
    /// <summary>Holds the run's thread as its <see cref="RunOptions.MultitaskStrategy"/> says; null for a run without a thread.</summary>
    private ValueTask<ThreadRuns.Ticket?> AdmitAsync(RunOptions? runOptions, ChannelWriter<GraphEvent>? events, CancellationToken cancellationToken)
    {
        if (options.Checkpointer is not { } store || runOptions?.ThreadId is not { } threadId || runOptions.AdmittedByHost)
        {
            return default;
        }

        var ticket = ThreadRuns.For(store).Admit(store, threadId, runOptions.MultitaskStrategy, cancellationToken, out var waiting);
        return waiting is null ? new ValueTask<ThreadRuns.Ticket?>(ticket) : new ValueTask<ThreadRuns.Ticket?>(AwaitAdmissionAsync(waiting, events));
    }

    private static async Task<ThreadRuns.Ticket?> AwaitAdmissionAsync(Task<ThreadRuns.Ticket> admitted, ChannelWriter<GraphEvent>? events)
    {
        try
        {
            return await admitted.ConfigureAwait(false);
        }
        catch (Exception)
        {
            events?.TryComplete();
            throw;
        }
    }

    /// <summary>Lets later runs on the thread stop or cancel <paramref name="run"/>, and frees the thread when it ends.</summary>
    private static void Attach(ThreadRuns.Ticket? ticket, GraphRun<TState, TUpdate> run) =>
        ticket?.Attach(run);
}
