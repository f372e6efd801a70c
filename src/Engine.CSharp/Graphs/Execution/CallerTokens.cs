namespace Graph.Engine.Graphs;

/// <summary>
/// The caller's tokens of one compiled graph's runs, striped by core (<see cref="CoreStripe"/>): a run joins the
/// stripe of the core it starts on (the stripe its live-run count entered, <see cref="RunDrain.Enter"/>), whose
/// groups of runs by token and whose lock are that core's (<see cref="CallerTokenStripe{TState, TUpdate}"/>). So runs
/// started side by side on several cores, with one shared token or a token each, take different locks; a token that
/// runs share across cores is registered once per stripe it is used on instead of once.
/// </summary>
internal sealed class CallerTokens<TState, TUpdate>
{
    /// <summary>The stripes, each created by the first run that joins it (a stripe holds a lock and a dictionary).</summary>
    private readonly CallerTokenStripe<TState, TUpdate>?[] stripes;

    /// <summary>Creates the (empty) stripes.</summary>
    /// <param name="stripeCount">The stripes wanted; 0 for one per core (see <see cref="CoreStripe.CountFor"/>).</param>
    public CallerTokens(int stripeCount = 0) =>
        stripes = new CallerTokenStripe<TState, TUpdate>?[CoreStripe.CountFor(int.MaxValue, stripeCount)];

    /// <summary>The stripes: the most registrations a token shared by runs on every core can take.</summary>
    internal int StripeCount => stripes.Length;

    /// <summary>The groups registered on a token now, over all stripes; for tests and leak checks.</summary>
    internal int Registrations
    {
        get
        {
            var sum = 0;
            foreach (var stripe in stripes)
            {
                sum += stripe?.Registrations ?? 0;
            }

            return sum;
        }
    }

    /// <summary>The runs in the stripes' kept groups now; for tests and leak checks.</summary>
    internal int KeptRuns
    {
        get
        {
            var sum = 0;
            foreach (var stripe in stripes)
            {
                sum += stripe?.Kept?.Count ?? 0;
            }

            return sum;
        }
    }

    /// <summary>Links <paramref name="run"/> into the group of <paramref name="token"/> (a cancellable token) of stripe <paramref name="stripe"/>.</summary>
    /// <param name="run">The run starting.</param>
    /// <param name="token">The caller's token.</param>
    /// <param name="stripe">The run's core stripe (any number: it is taken modulo the stripes).</param>
    public void Join(GraphRun<TState, TUpdate> run, CancellationToken token, int stripe)
    {
        var index = stripe & (stripes.Length - 1);
        (Volatile.Read(ref stripes[index]) ?? Create(index)).Join(run, token);
    }

    /// <summary>The graph is disposed: every stripe's kept group unregisters once its runs have ended.</summary>
    public void Release()
    {
        for (var i = 0; i < stripes.Length; i++)
        {
            Volatile.Read(ref stripes[i])?.Release();
        }
    }

    private CallerTokenStripe<TState, TUpdate> Create(int index)
    {
        var created = new CallerTokenStripe<TState, TUpdate>();
        return Interlocked.CompareExchange(ref stripes[index], created, null) ?? created;
    }
}
