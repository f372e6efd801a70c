using System.Collections.Concurrent;
using Graph.Engine.Actors;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Actors;

/// <summary>
/// The exclusive actor's inbox: messages that queue behind a busy actor are run by the owner from an ActionBlock
/// whose loop task was started by a sender. Each test holds the first handler on a gate, so the messages sent
/// meanwhile go through the inbox (the first behind it is handed over in the slot, the rest are posted).
/// </summary>
public class MailboxInboxTests
{
    private const int Messages = 200;

    private static readonly AsyncLocal<string?> SenderMark = new();

    [Test]
    public async Task SendAsync_BehindABusyActor_HandlersDoNotSeeTheSendersAsyncLocal()
    {
        await using var system = new ActorSystem();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var marks = new ConcurrentQueue<string?>();
        var actor = system.Spawn<int>("a", async (m, _) =>
        {
            if (m == 0)
            {
                started.SetResult();
                await gate.Task.ConfigureAwait(false);
                return;
            }

            marks.Enqueue(SenderMark.Value);
            if (m == Messages)
            {
                done.SetResult();
            }
        });

        await actor.SendAsync(0);
        await Wait.For(started.Task, "the first handler holds the actor");
        SenderMark.Value = "the sender's";
        for (var m = 1; m <= Messages; m++)
        {
            await actor.SendAsync(m);
        }

        SenderMark.Value = null;
        gate.SetResult();
        await Wait.For(done.Task, "every message queued behind the busy actor is handled");

        Assert.That(marks, Has.Count.EqualTo(Messages));
        Assert.That(marks, Is.All.Null, "the inbox's loop task carries the sender's context; handlers must not see it");
    }

    [Test]
    public async Task SendAsync_HandlersGoAsynchronousInsideAnInboxRun_EveryMessageIsHandledOnceInSendOrder()
    {
        await using var system = new ActorSystem();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = new List<int>();
        var running = 0;
        var overlapped = false;
        var actor = system.Spawn<int>("a", async (m, _) =>
        {
            overlapped |= Interlocked.Increment(ref running) != 1;
            if (m == 0)
            {
                started.SetResult();
                await gate.Task.ConfigureAwait(false);
            }
            else if (m % 7 == 0)
            {
                // Captures the current scheduler (inside an inbox run, the cell's own): the continuation must
                // still run, on the thread pool, and the rest of the run must wait for it.
                await Task.Yield();
            }

            seen.Add(m);
            Interlocked.Decrement(ref running);
            if (m == Messages)
            {
                done.SetResult();
            }
        });

        await actor.SendAsync(0);
        await Wait.For(started.Task, "the first handler holds the actor");
        for (var m = 1; m <= Messages; m++)
        {
            await actor.SendAsync(m);
        }

        gate.SetResult();
        await Wait.For(done.Task, "every message is handled, asynchronous handlers included");

        Assert.That(seen, Is.EqualTo(Enumerable.Range(0, Messages + 1)), "one sender's messages are handled once each, in send order");
        Assert.That(overlapped, Is.False, "one handler at a time");
        Assert.That(actor.QueueLength, Is.Zero);
    }

    [Test]
    public async Task StopAsync_MessagesWaitInTheInbox_EachIsProcessedOrDeadLetteredOnce()
    {
        await using var system = new ActorSystem();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var processed = new ConcurrentBag<int>();
        using var dead = new DeadLetterRecorder(system);
        var actor = system.Spawn<int>("a", async (m, _) =>
        {
            if (m == 0)
            {
                started.SetResult();
                await gate.Task.ConfigureAwait(false);
            }

            processed.Add(m);
        });

        await actor.SendAsync(0);
        await Wait.For(started.Task, "the first handler holds the actor");
        for (var m = 1; m <= Messages; m++)
        {
            await actor.SendAsync(m);
        }

        var stopped = actor.StopAsync(TimeSpan.Zero);
        gate.SetResult();
        await Wait.For(stopped, "the stop ends once the inbox is empty");

        var all = processed.Concat(dead.Letters.Select(l => (int)l.Message!)).Order().ToList();
        Assert.That(all, Is.EqualTo(Enumerable.Range(0, Messages + 1)), "every message is processed or dead-lettered, exactly once");
    }

    [Test]
    public async Task SendAsync_BehindABusyActor_HandlersKeepTheDefaultSchedulersParallelismAndLongRunningThreads()
    {
        await using var system = new ActorSystem();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = new TaskCompletionSource<(int Level, bool PoolThread)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = system.Spawn<int>("a", async (m, _) =>
        {
            if (m == 0)
            {
                started.SetResult();
                await gate.Task.ConfigureAwait(false);
                return;
            }

            if (m < 3)
            {
                return; // 1 is handed over in the slot; 2 and 3 go through the inbox
            }

            // Parallel.For and StartNew use TaskScheduler.Current: inside an inbox run, the cell's own.
            var level = TaskScheduler.Current.MaximumConcurrencyLevel;
            var longRunning = Task.Factory.StartNew(() => Thread.CurrentThread.IsThreadPoolThread, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Current);
            done.SetResult((level, await longRunning.ConfigureAwait(false)));
        });

        await actor.SendAsync(0);
        await Wait.For(started.Task, "the first handler holds the actor");
        for (var m = 1; m <= 3; m++)
        {
            await actor.SendAsync(m);
        }

        gate.SetResult();
        var (level, poolThread) = await done.Task.Bounded();

        Assert.That(level, Is.GreaterThan(1), "a scheduler of level 1 makes Parallel.For in a handler run on one thread");
        Assert.That(poolThread, Is.False, "a LongRunning task a handler starts gets a thread of its own, as on the default scheduler");
    }
}
