using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Graph.Engine.Orleans;

/// <summary>Membership settings that declare a dead silo in seconds instead of Orleans' default tens of seconds.</summary>
public static class FastFailoverExtensions
{
    /// <summary>
    /// Probes every <paramref name="probeTimeout"/>, declares a silo dead after three missed probes and one vote, and
    /// refreshes the membership table every two probe timeouts: a run on a silo that dies resumes on a survivor within
    /// a few seconds (docs/scale-out.md has the figures). One vote suits small clusters; large ones may want more.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="probeTimeout">How long a probe waits; null for 2 seconds.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probeTimeout"/> is not positive.</exception>
    public static ISiloBuilder UseFastFailover(this ISiloBuilder builder, TimeSpan? probeTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var timeout = probeTimeout ?? TimeSpan.FromSeconds(2);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero, nameof(probeTimeout));
        builder.Services.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = timeout;
            o.NumMissedProbesLimit = 3;
            o.NumVotesForDeathDeclaration = 1;
            o.TableRefreshTimeout = timeout * 2;
            o.IAmAliveTablePublishTimeout = timeout * 5;
        });
        return builder;
    }
}
