using Graph.Engine.Graphs;

namespace Graph.Engine.Testing;

/// <summary>
/// Runs asynchronous code on one thread in an order chosen by a seed: every piece of work posted to it (the graph's
/// tasks in deterministic mode, continuations of awaits that capture it) waits in one queue, and the scheduler picks
/// the next one at random from the seed. When nothing is ready it moves its <see cref="SimulatedClock"/> to the next
/// timer instead of waiting, so timeouts, backoff and heartbeats happen at once and in the same order every time.
/// The same seed gives the same run, as long as the code under test does all its work through the scheduler and the
/// clock (no real I/O, no other threads).
/// </summary>
public sealed class DeterministicScheduler : SynchronizationContext
{
    private readonly object gate = new();
    private readonly List<(SendOrPostCallback Callback, object? State)> ready = [];
    private readonly SemaphoreSlim posted = new(0);
    private readonly Random random;
    private readonly List<string> trace = [];

    /// <summary>Creates a scheduler for <paramref name="seed"/> on <paramref name="clock"/> (a new clock when null).</summary>
    /// <param name="seed">Chooses the order in which ready work runs.</param>
    /// <param name="clock">The clock moved to the next timer when nothing is ready; null for a new one.</param>
    public DeterministicScheduler(int seed, SimulatedClock? clock = null)
    {
        Seed = seed;
        Clock = clock ?? new SimulatedClock();
        Clock.TimerArmed += () => posted.Release(); // a timer armed from another thread is work for the pump
        random = new Random(seed);
    }

    /// <summary>The seed.</summary>
    public int Seed { get; }

    /// <summary>The clock.</summary>
    public SimulatedClock Clock { get; }

    /// <summary>
    /// How long the scheduler waits in real time for work posted from another thread when nothing is ready here and
    /// no timer is armed, before it fails with <see cref="SimulationStuckException"/>.
    /// </summary>
    /// <value>Default 10 seconds.</value>
    public TimeSpan ExternalWorkTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The most pieces of work one <see cref="Run"/> may execute before it fails (a livelock guard).</summary>
    /// <value>Default 1,000,000.</value>
    public int MaxWorkItems { get; init; } = 1_000_000;

    /// <summary>What ran, in order: labels written with <see cref="Note"/> by the code under test and the kit.</summary>
    public IReadOnlyList<string> Trace
    {
        get
        {
            lock (gate)
            {
                return [.. trace];
            }
        }
    }

    /// <summary>Adds <paramref name="label"/> to the <see cref="Trace"/> (for example "step 2: a").</summary>
    /// <param name="label">The label.</param>
    public void Note(string label)
    {
        lock (gate)
        {
            trace.Add(label);
        }
    }

    /// <summary>Picks a number in [0, <paramref name="maxExclusive"/>) from the seed (for fault schedules).</summary>
    /// <param name="maxExclusive">The exclusive upper bound.</param>
    /// <returns>The number.</returns>
    public int Next(int maxExclusive)
    {
        lock (gate)
        {
            return random.Next(maxExclusive);
        }
    }

    /// <inheritdoc />
    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        lock (gate)
        {
            ready.Add((d, state));
        }

        posted.Release();
    }

    /// <inheritdoc />
    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("The deterministic scheduler runs work only through Post.");

    /// <inheritdoc />
    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs <paramref name="body"/> on this thread under the scheduler until its task completes, and returns its result.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="body">The code under test.</param>
    /// <returns>The result of <paramref name="body"/>'s task (its exception is thrown as is).</returns>
    /// <exception cref="SimulationStuckException">Nothing is ready, no timer is armed and nothing arrived from another thread.</exception>
    public T Run<T>(Func<Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var previous = Current;
        var previousContinuations = NodeContinuations.OnCapturedContext;
        SetSynchronizationContext(this);
        NodeContinuations.OnCapturedContext = true; // the engine continues a node's task here, in the seed's order
        try
        {
            var task = body();
            Pump(task);
            return task.GetAwaiter().GetResult();
        }
        finally
        {
            NodeContinuations.OnCapturedContext = previousContinuations;
            SetSynchronizationContext(previous);
        }
    }

    /// <summary>Runs <paramref name="body"/> on this thread under the scheduler until its task completes.</summary>
    /// <param name="body">The code under test.</param>
    /// <exception cref="SimulationStuckException">Nothing is ready, no timer is armed and nothing arrived from another thread.</exception>
    public void Run(Func<Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        Run(async () =>
        {
            await body().ConfigureAwait(true);
            return true;
        });
    }

    private void Pump(Task task)
    {
        var executed = 0;
        _ = task.ContinueWith(static (_, p) => ((SemaphoreSlim)p!).Release(), posted, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        while (!task.IsCompleted)
        {
            if (TryTake(out var work))
            {
                if (++executed > MaxWorkItems)
                {
                    throw new SimulationStuckException($"Seed {Seed}: more than {MaxWorkItems} pieces of work ran without the body completing (a livelock?).");
                }

                work.Callback(work.State);
                continue;
            }

            if (Clock.AdvanceToNextTimer())
            {
                continue;
            }

            // Work may come back from another thread (a thread-pool continuation of a task that completed here, such as
            // TimeProvider.Delay's): a post or a timer armed from there wakes the pump.
            if (!task.IsCompleted && !posted.Wait(ExternalWorkTimeout) && !task.IsCompleted)
            {
                throw new SimulationStuckException(
                    $"Seed {Seed}: the body is not complete, nothing is ready, no timer is armed, and no work arrived from another thread within {ExternalWorkTimeout}. Last trace entries: {string.Join(" | ", Trace.TakeLast(8))}");
            }
        }
    }

    private bool TryTake(out (SendOrPostCallback Callback, object? State) work)
    {
        lock (gate)
        {
            if (ready.Count == 0)
            {
                work = default;
                return false;
            }

            var index = random.Next(ready.Count);
            work = ready[index];
            ready[index] = ready[^1];
            ready.RemoveAt(ready.Count - 1);
        }

        return true;
    }
}
