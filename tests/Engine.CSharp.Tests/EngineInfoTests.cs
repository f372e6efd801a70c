namespace Graph.Engine.Tests;

public class EngineInfoTests
{
    [Test]
    public void Name_IsTheAssemblyName() =>
        Assert.That(typeof(EngineInfo).Assembly.GetName().Name, Is.EqualTo(EngineInfo.Name));
}
