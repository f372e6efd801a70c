using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Graph.Engine.Actors;
using Graph.Engine.Diagnostics;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Actors;

public class ActorMetricsTests
{
    [Test]
    public async Task Meter_ProcessedDroppedAndDepth_AreObserved()
    {
        await using var system = new ActorSystem("metrics-test");
        var longs = new ConcurrentQueue<(string Name, long Value, string? Tag)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EngineDiagnostics.SourceName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? tag = null;
            foreach (var t in tags)
            {
                if (t.Key == EngineDiagnostics.ReasonTag || (t.Key == EngineDiagnostics.ActorTag && (t.Value as string)!.StartsWith("/metrics-test", StringComparison.Ordinal)))
                {
                    tag = t.Value as string;
                }
            }

            longs.Enqueue((instrument.Name, value, tag));
        });
        listener.Start();

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = system.Spawn<int>("a", async (m, _) =>
        {
            started.TrySetResult();
            await gate.Task.WaitAsync(Wait.Timeout);
        }, new ActorOptions { Mailbox = MailboxOptions.Bounded(2, OverflowPolicy.DropNewest) });
        actor.Tell(0);
        await started.Task.Bounded();
        actor.Tell(1);
        actor.Tell(2);
        actor.Tell(3);
        listener.RecordObservableInstruments();
        gate.SetResult();
        await actor.StopAsync(Timeout.InfiniteTimeSpan).Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(longs.Where(m => m.Name == EngineDiagnostics.MailboxDepth && m.Tag == "/metrics-test/a").Select(m => m.Value), Is.EqualTo(new[] { 2L }));
            Assert.That(longs.Where(m => m.Name == EngineDiagnostics.MessagesDeadLettered && m.Tag == nameof(DeadLetterReason.DroppedNewest)).Sum(m => m.Value), Is.GreaterThanOrEqualTo(1));
            Assert.That(longs.Where(m => m.Name == EngineDiagnostics.MessagesProcessed).Sum(m => m.Value), Is.GreaterThanOrEqualTo(3));
        });
    }
}
