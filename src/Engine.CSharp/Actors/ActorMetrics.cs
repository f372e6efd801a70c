using System.Diagnostics.Metrics;
using Graph.Engine.Diagnostics;

namespace Graph.Engine.Actors;

/// <summary>The actor layer's instruments. Recording is skipped cheaply when nobody listens.</summary>
internal static class ActorMetrics
{
    public static readonly Counter<long> Processed =
        EngineDiagnostics.Meter.CreateCounter<long>(EngineDiagnostics.MessagesProcessed, "{message}", "Messages handled by actors.");

    public static readonly Counter<long> DeadLettered =
        EngineDiagnostics.Meter.CreateCounter<long>(EngineDiagnostics.MessagesDeadLettered, "{message}", "Messages not processed, by reason.");

    public static readonly Histogram<double> HandlerDuration =
        EngineDiagnostics.Meter.CreateHistogram<double>(EngineDiagnostics.HandlerDuration, "ms", "Time spent in actor handlers.");

    public static readonly Counter<long> Failures =
        EngineDiagnostics.Meter.CreateCounter<long>(EngineDiagnostics.HandlerFailures, "{failure}", "Actor handler failures.");

    public static readonly Counter<long> Restarts =
        EngineDiagnostics.Meter.CreateCounter<long>(EngineDiagnostics.Restarts, "{restart}", "Restarts decided by supervisors.");

    private static readonly string[] ReasonNames = Enum.GetNames<DeadLetterReason>();

    static ActorMetrics()
    {
        EngineDiagnostics.Meter.CreateObservableGauge(EngineDiagnostics.MailboxDepth, ObserveDepth, "{message}", "Messages waiting in actor mailboxes.");
        EngineDiagnostics.Meter.CreateObservableGauge(EngineDiagnostics.MailboxUtilization, ObserveUtilization, null, "Mailbox depth divided by capacity.");
    }

    /// <summary>Makes sure the observable instruments exist before the first system is created.</summary>
    public static void EnsureCreated()
    {
    }

    public static string ReasonName(DeadLetterReason reason) => ReasonNames[(int)reason];

    private static IEnumerable<Measurement<long>> ObserveDepth()
    {
        foreach (var system in ActorSystem.Live)
        {
            foreach (var cell in system.Cells)
            {
                yield return new Measurement<long>(cell.QueueLength, new KeyValuePair<string, object?>(EngineDiagnostics.ActorTag, cell.Path));
            }
        }
    }

    private static IEnumerable<Measurement<double>> ObserveUtilization()
    {
        foreach (var system in ActorSystem.Live)
        {
            foreach (var cell in system.Cells)
            {
                if (cell.Options.Mailbox.Capacity > 0)
                {
                    yield return new Measurement<double>((double)cell.QueueLength / cell.Options.Mailbox.Capacity, new KeyValuePair<string, object?>(EngineDiagnostics.ActorTag, cell.Path));
                }
            }
        }
    }
}
