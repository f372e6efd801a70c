namespace Graph.Engine.Graphs;

/// <summary>
/// One core's share of the caller's tokens of a compiled graph's runs (<see cref="CallerTokens{TState, TUpdate}"/>):
/// the runs started on that core, one group of runs per token in use
/// (<see cref="CallerTokenRuns{TState, TUpdate}"/>, one registration on the token for all its runs), so runs that
/// share a token (a host's stopping token, a batch's token) join one group instead of registering each. The group of
/// the token runs last started with is kept (found without a lock, and left registered while empty, so a token that
/// runs use one after another is registered once); a group of any other token is found under the lock and
/// unregisters and is forgotten when its last run ends. Once the kept group is empty, a run with another token that
/// has no group replaces it.
/// </summary>
/// <remarks>
/// The kept group stays registered on its token while empty (one registration per stripe), until another token
/// replaces it or the graph is disposed (<see cref="Release"/>). Lock order: this object's lock, then a group's.
/// </remarks>
internal sealed class CallerTokenStripe<TState, TUpdate>
{
    private readonly Lock gate = new();

    /// <summary>The groups with runs other than the kept one, by token (guarded by <see cref="gate"/>).</summary>
    private readonly Dictionary<CancellationToken, CallerTokenRuns<TState, TUpdate>> others = [];
    private CallerTokenRuns<TState, TUpdate>? kept;
    private int registrations;

    /// <summary>The group the graph keeps now; null before the first run with a cancellable token.</summary>
    internal CallerTokenRuns<TState, TUpdate>? Kept => Volatile.Read(ref kept);

    /// <summary>The groups registered on a token now (the kept one and those with runs); for tests and leak checks.</summary>
    internal int Registrations => Volatile.Read(ref registrations);

    /// <summary>A group registered (+1) or unregistered (-1).</summary>
    internal void Registered(int change) => Interlocked.Add(ref registrations, change);

    /// <summary>Links <paramref name="run"/> into the group of <paramref name="token"/> (a cancellable token).</summary>
    public void Join(GraphRun<TState, TUpdate> run, CancellationToken token)
    {
        var group = Volatile.Read(ref kept);
        if (group is not null && group.Token == token && group.TryAdd(run))
        {
            return;
        }

        JoinSlow(run, token);
    }

    /// <summary>A group that is not kept unregistered (its last run ended): it is no longer found by its token.</summary>
    public void Forget(CallerTokenRuns<TState, TUpdate> group)
    {
        lock (gate)
        {
            if (others.TryGetValue(group.Token, out var current) && ReferenceEquals(current, group))
            {
                others.Remove(group.Token);
            }
        }
    }

    /// <summary>The graph is disposed: its kept group unregisters once its runs have ended.</summary>
    public void Release()
    {
        CallerTokenRuns<TState, TUpdate>? group;
        lock (gate)
        {
            group = kept;
            kept = null;
        }

        group?.Release();
    }

    private void JoinSlow(GraphRun<TState, TUpdate> run, CancellationToken token)
    {
        lock (gate)
        {
            var group = kept;
            if (group is not null && group.Token == token && group.TryAdd(run))
            {
                return;
            }

            if (others.TryGetValue(token, out var other) && other.TryAdd(run))
            {
                return;
            }

            // A token without a live group: it replaces the kept group when that is empty, else gets one of its own.
            var replace = group is null || group.TryRetireEmpty();
            var created = CallerTokenRuns<TState, TUpdate>.Create(this, token, replace);
            created.TryAdd(run); // new: not retired
            if (replace)
            {
                others.Remove(token); // a retired group of the token, whose Forget has not run yet
                Volatile.Write(ref kept, created);
            }
            else
            {
                others[token] = created;
            }
        }
    }
}
