namespace Graph.Engine.Actors;

/// <summary>Monitors: any actor can watch any other, independently of supervision (OTP's <c>monitor</c>, Akka's <c>Watch</c>).</summary>
public static class ActorWatch
{
    /// <summary>
    /// Tells <paramref name="watcher"/> once, when <paramref name="actor"/> has stopped (at once when it already
    /// has), the message <paramref name="toMessage"/> makes of a <see cref="Terminated"/>. Watching neither links the
    /// two nor changes who supervises whom. The message is offered without waiting (<see cref="ActorRef{TMessage}.TryPost"/>):
    /// a full or stopped watcher dead-letters it.
    /// </summary>
    /// <typeparam name="TMessage">The watcher's message type.</typeparam>
    /// <param name="actor">The actor to watch.</param>
    /// <param name="watcher">Who is told.</param>
    /// <param name="toMessage">Wraps the notice in the watcher's message type.</param>
    /// <returns>Disposing it stops watching (OTP's <c>demonitor</c>): no message is told after that.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IDisposable Watch<TMessage>(this ActorRef actor, ActorRef<TMessage> watcher, Func<Terminated, TMessage> toMessage)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(watcher);
        ArgumentNullException.ThrowIfNull(toMessage);
        var watch = new Watching<TMessage>(actor, watcher, toMessage);
        _ = actor.Stopped.ContinueWith(static (_, state) => ((Watching<TMessage>)state!).Notify(), watch, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return watch;
    }

    private sealed class Watching<TMessage>(ActorRef actor, ActorRef<TMessage> watcher, Func<Terminated, TMessage> toMessage) : IDisposable
    {
        private int _done;

        public void Notify()
        {
            if (Interlocked.Exchange(ref _done, 1) != 0)
            {
                return;
            }

            var reason = actor.Completion.Exception?.InnerException;
            watcher.TryPost(toMessage(new Terminated(actor, reason is null ? ActorState.Stopped : ActorState.Faulted, reason)));
        }

        public void Dispose() => Interlocked.Exchange(ref _done, 1);
    }
}
