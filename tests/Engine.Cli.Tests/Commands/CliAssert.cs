namespace Graph.Cli.Tests.Commands;

internal static class CliAssert
{
    public static void Ok(CliRun run) =>
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.Error + run.Out);
            Assert.That(run.Error, Is.Empty);
        });

    public static void OneLineError(CliRun run, int exitCode, string fragment) =>
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(exitCode), run.Error + run.Out);
            Assert.That(run.ErrorLines, Has.Length.EqualTo(1), run.Error);
            Assert.That(run.Error, Does.StartWith("graph: "));
            Assert.That(run.Error, Does.Contain(fragment).IgnoreCase);
            Assert.That(run.Error + run.Out, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(run.Error + run.Out, Does.Not.Contain("Exception:"), "no exception dump");
        });
}
