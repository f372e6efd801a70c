namespace Graph.Cli.Tests;

public class ProgramTests
{
    [Test]
    public void Main_NoArguments_ReturnsZero() => Assert.That(Program.Main([]), Is.Zero);
}
