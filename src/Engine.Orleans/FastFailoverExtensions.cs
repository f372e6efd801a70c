using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Graph.Engine.Orleans;

/// <summary>Membership settings that declare a dead silo in seconds instead of Orleans' default tens of seconds.</summary>
public static class FastFailoverExtensions
{
    private const int MissedProbes = 3;

    /// <summary>
    /// Probes every <paramref name="probeTimeout"/>, declares a silo dead after three missed probes and one vote, and
    /// refreshes the membership table every two probe timeouts: a run on a silo that dies resumes on a survivor within
    /// a few seconds (docs/scale-out.md has the figures). One vote suits small clusters; large ones may want more.
    /// The grain directory's lease on a dead silo's grains (<c>GrainDirectoryOptions.RangeLeaseDuration</c>, 30 s by
    /// default) is set to the same failure-detection window (three probe timeouts): it is counted from the silo's
    /// estimated failure time, so its grains can be placed again as soon as the silo is declared dead, and the
    /// checkpoint store's single-writer fence, not the lease, keeps a silo that is still running on from forking a thread.
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
            o.NumMissedProbesLimit = MissedProbes;
            o.NumVotesForDeathDeclaration = 1;
            o.TableRefreshTimeout = timeout * 2;
            o.IAmAliveTablePublishTimeout = timeout * 5;
        });
        builder.Services.Configure<GrainDirectoryOptions>(o => o.RangeLeaseDuration = timeout * MissedProbes);
        return builder;
    }
}
