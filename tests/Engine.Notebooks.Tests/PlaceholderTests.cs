namespace Graph.Engine.Notebooks.Tests;

public class PlaceholderTests
{
    [Test]
    public void NotebooksFolder_Exists() =>
        Assert.That(Directory.Exists(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "..", "notebooks")), Is.True);
}
