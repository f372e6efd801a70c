using Graph.Cli.Output;

namespace Graph.Cli.Tests.Output;

/// <summary>How measured figures are rounded for the JSON file and the table: never to zero.</summary>
public class BenchFiguresTests
{
    [TestCase(0.0004123, 0.0004123)]
    [TestCase(0.000041237, 0.00004124)]
    [TestCase(0.12346, 0.1235)]
    [TestCase(1.23456, 1.235)]
    [TestCase(1234.56789, 1234.568)]
    [TestCase(0d, 0d)]
    public void Round_Figure_KeepsThreeDecimalsOrFourSignificantDigits(double value, double expected)
    {
        Assert.That(BenchJson.Round(value), Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void Round_TinyRatio_IsNotZero()
    {
        Assert.That(BenchJson.Round(0.0002), Is.GreaterThan(0));
    }

    [TestCase(1.3612, "1.36x")]
    [TestCase(0.25, "0.25x")]
    [TestCase(0.000412, "0.000412x")]
    public void Ratio_Value_IsShownWithoutRoundingToZero(double ratio, string expected)
    {
        Assert.That(BenchTable.Ratio(ratio), Is.EqualTo(expected));
    }
}
