using System.Collections.Concurrent;
using Graph.Engine.Actors;
using Graph.Engine.Supervision;
using NUnit.Framework;

namespace Graph.Engine.Testing;

/// <summary>
/// A test's stand-in actor, in the style of Akka's TestKit: actors send to <see cref="Ref{T}"/>, and the test
/// expects messages within a time on the system's clock, expects silence, watches actors for termination and a
/// system's supervisors for their events. With a <see cref="SimulatedClock"/> as the system's
/// <see cref="ActorSystemOptions.TimeProvider"/>, a wait "within 5 s" ends when the test moves the clock past
/// 5 s (<see cref="ExpectNoMessageAsync"/> moves it itself), never after real time; a real-time bound
/// (<see cref="RealTimeLimit"/>) keeps a test from hanging.
/// </summary>
public sealed class ActorProbe : IAsyncDisposable, IObserver<ActorEvent>
{
    private static int probes;
    private readonly ActorSystem system;
    private readonly string name;
    private readonly ConcurrentQueue<object> messages = new();
    private readonly SemaphoreSlim arrived = new(0);
    private readonly ConcurrentQueue<SupervisorEvent> events = new();
    private readonly SemaphoreSlim eventArrived = new(0);
    private readonly List<ActorRef> forwarders = [];
    private readonly List<IDisposable> subscriptions = [];

    /// <summary>Creates a probe in <paramref name="system"/>.</summary>
    /// <param name="system">The actor system under test.</param>
    /// <param name="name">The name prefix of the probe's actors; null for <c>probe-N</c>.</param>
    public ActorProbe(ActorSystem system, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        this.system = system;
        this.name = name ?? $"probe-{Interlocked.Increment(ref probes)}";
    }

    /// <summary>The longest real time an expectation waits before it fails (the clock may be one nobody moves).</summary>
    /// <value>Default 10 seconds.</value>
    public TimeSpan RealTimeLimit { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>An actor of message type <typeparamref name="T"/> whose messages reach this probe (one per type, made on first use).</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <returns>The actor.</returns>
    public ActorRef<T> Ref<T>()
    {
        lock (forwarders)
        {
            if (forwarders.OfType<ActorRef<T>>().FirstOrDefault() is { } existing)
            {
                return existing;
            }

            var actor = system.Spawn<T>($"{name}-{typeof(T).Name}-{forwarders.Count}", (message, _) =>
            {
                messages.Enqueue(message!);
                arrived.Release();
                return ValueTask.CompletedTask;
            });
            forwarders.Add(actor);
            return actor;
        }
    }

    /// <summary>Watches <paramref name="actor"/>: its end arrives at this probe as a <see cref="Terminated"/> message.</summary>
    /// <param name="actor">The actor to watch.</param>
    public void Watch(ActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        subscriptions.Add(actor.Watch(Ref<Terminated>(), t => t));
    }

    /// <summary>Receives every <see cref="SupervisorEvent"/> of the system (expect them with <see cref="ExpectEventAsync{TEvent}"/>).</summary>
    public void WatchSupervision() => subscriptions.Add(system.Events.Subscribe(this));

    /// <summary>Expects the next message within <paramref name="within"/> on the system's clock, of type <typeparamref name="T"/> and matching <paramref name="match"/>.</summary>
    /// <typeparam name="T">The expected message type.</typeparam>
    /// <param name="within">How long on the system's clock.</param>
    /// <param name="match">An optional condition on the message.</param>
    /// <returns>The message.</returns>
    /// <exception cref="AssertionException">No message came in time, or the next one is another.</exception>
    public async Task<T> ExpectMessageAsync<T>(TimeSpan within, Func<T, bool>? match = null)
    {
        var next = await NextAsync(messages, arrived, within, $"a {typeof(T).Name}").ConfigureAwait(false);
        if (next is not T typed || (match is not null && !match(typed)))
        {
            throw new AssertionException($"Probe {name}: expected a {typeof(T).Name}{(match is null ? string.Empty : " that matches")} within {within}, but the next message was {Describe(next)}.");
        }

        return typed;
    }

    /// <summary>Expects that <paramref name="actor"/> terminates within <paramref name="within"/> (it must be watched with <see cref="Watch"/>).</summary>
    /// <param name="actor">The watched actor.</param>
    /// <param name="within">How long on the system's clock.</param>
    /// <returns>The termination.</returns>
    public Task<Terminated> ExpectTerminatedAsync(ActorRef actor, TimeSpan within)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return ExpectMessageAsync<Terminated>(within, t => ReferenceEquals(t.Actor, actor) || t.Actor.Path == actor.Path);
    }

    /// <summary>Expects the next supervision event within <paramref name="within"/>, of type <typeparamref name="TEvent"/> and matching <paramref name="match"/>.</summary>
    /// <typeparam name="TEvent">The expected event type (for example <see cref="ChildRestarted"/>).</typeparam>
    /// <param name="within">How long on the system's clock.</param>
    /// <param name="match">An optional condition on the event.</param>
    /// <returns>The event.</returns>
    /// <exception cref="AssertionException">No event came in time, or the next one is another.</exception>
    public async Task<TEvent> ExpectEventAsync<TEvent>(TimeSpan within, Func<TEvent, bool>? match = null)
        where TEvent : SupervisorEvent
    {
        var next = await NextAsync(events, eventArrived, within, $"a {typeof(TEvent).Name} event").ConfigureAwait(false);
        if (next is not TEvent typed || (match is not null && !match(typed)))
        {
            throw new AssertionException($"Probe {name}: expected a {typeof(TEvent).Name} event within {within}, but the next event was {Describe(next)}.");
        }

        return typed;
    }

    /// <summary>
    /// Expects no message for <paramref name="within"/>. On a <see cref="SimulatedClock"/> the probe moves the clock by
    /// that much (firing the timers on the way) and then fails if a message was received or sits in the probe's
    /// mailboxes; on another clock it waits that long.
    /// </summary>
    /// <param name="within">How long on the system's clock.</param>
    /// <returns>A task that completes when the time has passed in silence.</returns>
    /// <exception cref="AssertionException">A message arrived.</exception>
    public async Task ExpectNoMessageAsync(TimeSpan within)
    {
        if (system.TimeProvider is SimulatedClock clock)
        {
            clock.Advance(within);
        }
        else
        {
            await Task.Delay(within, system.TimeProvider).ConfigureAwait(false);
        }

        int queued;
        lock (forwarders)
        {
            queued = forwarders.Sum(f => f.QueueLength);
        }

        if (messages.TryPeek(out var message) || queued > 0)
        {
            throw new AssertionException($"Probe {name}: expected no message for {within}, but got {(message is null ? $"{queued} still in its mailbox" : Describe(message))}.");
        }
    }

    /// <summary>Stops the probe's actors and its subscriptions.</summary>
    /// <returns>A task that completes when they are stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in subscriptions)
        {
            subscription.Dispose();
        }

        ActorRef[] actors;
        lock (forwarders)
        {
            actors = [.. forwarders];
        }

        foreach (var actor in actors)
        {
            await actor.StopAsync().ConfigureAwait(false);
        }

        arrived.Dispose();
        eventArrived.Dispose();
    }

    void IObserver<ActorEvent>.OnNext(ActorEvent value)
    {
        if (value is SupervisorEvent supervision)
        {
            events.Enqueue(supervision);
            eventArrived.Release();
        }
    }

    void IObserver<ActorEvent>.OnError(Exception error)
    {
    }

    void IObserver<ActorEvent>.OnCompleted()
    {
    }

    private static string Describe(object? value) => value is null ? "null" : $"{value.GetType().Name} {value}";

    private async Task<object> NextAsync<T>(ConcurrentQueue<T> queue, SemaphoreSlim signal, TimeSpan within, string what)
        where T : notnull
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(within, TimeSpan.Zero);
        using var deadline = new CancellationTokenSource(within, system.TimeProvider);
        using var realLimit = new CancellationTokenSource(RealTimeLimit);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, realLimit.Token);
        try
        {
            await signal.WaitAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            var why = deadline.IsCancellationRequested
                ? $"within {within} on the system's clock"
                : $"within {RealTimeLimit} of real time (the system's clock reached neither the message nor {within}: is anyone moving it?)";
            throw new AssertionException($"Probe {name}: expected {what} {why}, but none came.");
        }

        return queue.TryDequeue(out var item) ? item : throw new InvalidOperationException("The probe was signalled with nothing queued.");
    }
}
