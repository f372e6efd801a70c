namespace Graph.Engine;

/// <summary>Static facts about the engine assembly.</summary>
public static class EngineInfo
{
    /// <summary>The name used for the engine's <c>Meter</c>, <c>ActivitySource</c> and logger categories.</summary>
    public const string Name = "Graph.Engine";
}
