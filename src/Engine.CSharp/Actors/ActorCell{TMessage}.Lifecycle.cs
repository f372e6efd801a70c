namespace Graph.Engine.Actors;

// The actor cell's lifecycle hooks (IActorLifecycle): called while no handler runs; a throwing hook is reported, never fatal.
internal sealed partial class ActorCell<TMessage>
{
    private async ValueTask PreRestartAsync(Exception? failure, object? message)
    {
        if (Volatile.Read(ref _instance) is IActorLifecycle hooks)
        {
            try
            {
                await hooks.PreRestartAsync(failure, message).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A failing hook must not break a restart; it is reported.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                System.OnActorFailed(this, exception, null);
            }
        }
    }

    private async ValueTask PostRestartAsync(Exception? failure)
    {
        if (Volatile.Read(ref _instance) is IActorLifecycle hooks)
        {
            try
            {
                await hooks.PostRestartAsync(failure).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A failing hook must not break a restart; it is reported.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                System.OnActorFailed(this, exception, null);
            }
        }
    }

    /// <summary>PostStop on the instance the stop is about to dispose.</summary>
    private async ValueTask PostStopAsync(IActor<TMessage>? instance)
    {
        if (instance is IActorLifecycle hooks)
        {
            try
            {
                await hooks.PostStopAsync(Fault).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A failing hook must not break a stop; it is reported.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                System.OnActorFailed(this, exception, null);
            }
        }
    }
}
