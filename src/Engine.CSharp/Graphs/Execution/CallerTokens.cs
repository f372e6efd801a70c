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
    private readonly CallerTokenStripe<TState, TUpdate>[] stripes;

    /// <summary>Creates the stripes.</summary>
    /// <param name="stripeCount">The stripes wanted; 0 for one per core (see <see cref="CoreStripe.CountFor"/>).</param>
    public CallerTokens(int stripeCount = 0)
    {
        stripes = new CallerTokenStripe<TState, TUpdate>[CoreStripe.CountFor(int.MaxValue, stripeCount)];
        for (var i = 0; i < stripes.Length; i++)
        {
            stripes[i] = new();
        }
    }

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
                sum += stripe.Registrations;
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
                sum += stripe.Kept?.Count ?? 0;
            }

            return sum;
        }
    }

    /// <summary>Links <paramref name="run"/> into the group of <paramref name="token"/> (a cancellable token) of stripe <paramref name="stripe"/>.</summary>
    /// <param name="run">The run starting.</param>
    /// <param name="token">The caller's token.</param>
    /// <param name="stripe">The run's core stripe (any number: it is taken modulo the stripes).</param>
    public void Join(GraphRun<TState, TUpdate> run, CancellationToken token, int stripe) =>
        stripes[stripe & (stripes.Length - 1)].Join(run, token);

    /// <summary>The graph is disposed: every stripe's kept group unregisters once its runs have ended.</summary>
    public void Release()
    {
        foreach (var stripe in stripes)
        {
            stripe.Release();
        }
    }
}
