using Orleans.Runtime;

namespace Graph.Engine.Orleans;

/// <summary>Retries a grain call (with its call id unchanged) while the cluster cannot answer it.</summary>
public sealed partial class ClusterGraph<TState, TUpdate>
{
    private async Task<T> RetryAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var clock = options.TimeProvider;
        var deadline = clock.GetTimestamp();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await call().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e) && clock.GetElapsedTime(deadline) < options.RetryFor)
            {
                await Task.Delay(options.RetryDelay, clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Errors after which the call may or may not have run: retrying with the same call id is safe.</summary>
    private static bool IsTransient(Exception e) =>
        e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException or GatewayTooBusyException;
}
