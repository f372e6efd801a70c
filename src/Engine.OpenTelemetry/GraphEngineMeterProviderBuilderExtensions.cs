using Graph.Engine.Diagnostics;

namespace OpenTelemetry.Metrics;

/// <summary>Adds the Graph engine's metrics to an OpenTelemetry meter provider.</summary>
public static class GraphEngineMeterProviderBuilderExtensions
{
    /// <summary>
    /// Listens to the engine's one Meter, <see cref="EngineDiagnostics.SourceName"/>: the actor, supervision and graph
    /// instruments (names in <see cref="EngineDiagnostics"/> and <c>GraphDiagnostics</c>).
    /// </summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static MeterProviderBuilder AddGraphEngineInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(EngineDiagnostics.SourceName);
    }
}
