using Graph.Engine.Actors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the graph engine in an <see cref="IServiceCollection"/>.</summary>
public static class GraphEngineServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="ActorSystem"/> singleton, created on first use. When <paramref name="options"/> leave
    /// <see cref="ActorSystemOptions.LoggerFactory"/> at its default and the container has an <see cref="ILoggerFactory"/>,
    /// the system (and every graph added through the returned builder) logs there. Disposing the container
    /// (asynchronously, as hosts do) disposes the graphs, then stops the system.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="systemName">The actor system's name, the first segment of every actor path.</param>
    /// <param name="options">The actor system's options; defaults to <see cref="ActorSystemOptions.Default"/>.</param>
    /// <returns>A builder to register compiled graphs with.</returns>
    /// <exception cref="ArgumentException"><paramref name="systemName"/> is empty or contains '/', or an option is invalid (the message names it).</exception>
    /// <exception cref="InvalidOperationException">An <see cref="ActorSystem"/> is already registered (AddGraphEngine was called twice).</exception>
    public static GraphEngineBuilder AddGraphEngine(this IServiceCollection services, string systemName = "graph", ActorSystemOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ActorSystem.ValidateName(systemName, "actor system");
        options ??= ActorSystemOptions.Default;
        options.Validate();
        if (services.Any(d => d.ServiceType == typeof(ActorSystem)))
        {
            throw new InvalidOperationException("An ActorSystem is already registered: call AddGraphEngine once per container.");
        }

        services.AddSingleton(provider => new ActorSystem(systemName, WithContainerLogging(options, provider)));
        return new GraphEngineBuilder(services);
    }

    private static ActorSystemOptions WithContainerLogging(ActorSystemOptions options, IServiceProvider provider) =>
        ReferenceEquals(options.LoggerFactory, NullLoggerFactory.Instance) && provider.GetService<ILoggerFactory>() is { } factory
            ? options with { LoggerFactory = factory }
            : options;
}
