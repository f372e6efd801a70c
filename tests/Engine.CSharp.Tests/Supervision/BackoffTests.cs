using Graph.Engine.Supervision;

namespace Graph.Engine.Tests.Supervision;

public class BackoffTests
{
    [Test]
    public void Delay_WithoutJitter_GrowsByTheFactorUpToTheCap()
    {
        var delays = Enumerable.Range(0, 6).Select(n => Backoff.Delay(TimeSpan.FromSeconds(1), 3, TimeSpan.FromSeconds(20), n, 1, 1, null).TotalSeconds);

        Assert.That(delays, Is.EqualTo(new double[] { 1, 3, 9, 20, 20, 20 }));
    }

    [TestCase(1)]
    [TestCase(2)]
    public void Delay_SeededRandom_IsTheRandomFactorTimesTheNominalDelay(int seed)
    {
        var expected = new Random(seed);
        var random = new Random(seed);

        for (var n = 0; n < 5; n++)
        {
            var nominal = TimeSpan.FromSeconds(1).Ticks * Math.Pow(2, n);
            var factor = 0.5 + (0.5 * expected.NextDouble());
            var actual = Backoff.Delay(TimeSpan.FromSeconds(1), 2, TimeSpan.FromMinutes(1), n, 0.5, 1, random);
            Assert.That(actual.Ticks, Is.EqualTo((long)(nominal * factor)), $"exponent {n}");
        }
    }

    [Test]
    public void Delay_JitterAboveOne_IsStillCapped()
    {
        var random = new Random(3);

        var delays = Enumerable.Range(0, 50).Select(_ => Backoff.Delay(TimeSpan.FromSeconds(10), 2, TimeSpan.FromSeconds(10), 0, 1, 2, random));

        Assert.That(delays, Is.All.EqualTo(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public void Delay_ZeroCap_IsZero() =>
        Assert.That(Backoff.Delay(TimeSpan.FromSeconds(1), 2, TimeSpan.Zero, 3, 0.5, 1, null), Is.EqualTo(TimeSpan.Zero));
}
