using Graph.Engine.Workloads.Baselines;
using Proto;

namespace Graph.Engine.Workloads.Peers;

/// <summary>The Proto.Actor props shared by the peer workloads: default mailbox and dispatcher.</summary>
internal static class ProtoProps
{
    /// <summary>An actor that counts each int into <paramref name="sink"/> (system messages are ignored).</summary>
    public static Props Sink(Countdown sink) => Props.FromFunc(context =>
    {
        if (context.Message is int m)
        {
            sink.Signal(m);
        }

        return Task.CompletedTask;
    });

    /// <summary>An actor that forwards each int to <paramref name="next"/>.</summary>
    public static Props Forwarder(PID next) => Props.FromFunc(context =>
    {
        if (context.Message is int)
        {
            context.Send(next, context.Message);
        }

        return Task.CompletedTask;
    });

    public static async ValueTask ShutdownAsync(ActorSystem? system)
    {
        if (system is not null)
        {
            await system.ShutdownAsync().ConfigureAwait(false);
        }
    }
}
