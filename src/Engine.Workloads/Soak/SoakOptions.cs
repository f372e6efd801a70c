namespace Graph.Engine.Workloads.Soak;

/// <summary>What a soak runs (see <see cref="ChainSoak"/>).</summary>
/// <param name="Runs">chain10 runs in all (default 1,000,000).</param>
/// <param name="InFlight">Runs kept in flight at once (default 1,000).</param>
/// <param name="Marks">Heap measurements, evenly spaced (default 10: every 100,000 runs of a million).</param>
public sealed record SoakOptions(int Runs = 1_000_000, int InFlight = 1_000, int Marks = 10)
{
    /// <summary>The heap may grow by at most this fraction between the first mark and the last (10%).</summary>
    public const double MaxGrowth = 0.10;

    /// <summary>Throws when a figure is out of range.</summary>
    /// <exception cref="ArgumentException">Runs, in-flight or marks is less than 1, or there are more marks than runs.</exception>
    public void Validate()
    {
        if (Runs < 1 || InFlight < 1 || Marks < 1)
        {
            throw new ArgumentException($"A soak needs at least 1 run, 1 in flight and 1 mark (was {Runs} runs, {InFlight} in flight, {Marks} marks).");
        }

        if (Marks > Runs)
        {
            throw new ArgumentException($"A soak of {Runs} runs cannot take {Marks} marks.");
        }
    }
}
