using Graph.Engine.Diagnostics;

namespace OpenTelemetry.Trace;

/// <summary>Adds the Graph engine's traces to an OpenTelemetry tracer provider.</summary>
public static class GraphEngineTracerProviderBuilderExtensions
{
    /// <summary>
    /// Listens to the engine's one ActivitySource, <see cref="EngineDiagnostics.SourceName"/>: a <c>graph.run</c> span
    /// per graph run with a <c>graph.task</c> child per task (names and tags in <c>GraphDiagnostics</c>).
    /// </summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static TracerProviderBuilder AddGraphEngineInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(EngineDiagnostics.SourceName);
    }
}
