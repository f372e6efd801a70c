using Graph.Engine.Graphs;
using Graph.Engine.Orleans.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Serialization;

namespace Graph.Engine.Orleans;

/// <summary>Registers compiled graphs in a silo, so that <see cref="ClusterGraph{TState, TUpdate}"/> clients can run them.</summary>
public static class GraphSiloBuilderExtensions
{
    /// <summary>
    /// Registers a graph under <paramref name="name"/>, built once per silo by <paramref name="factory"/> and disposed
    /// with the silo. Register the same graphs, under the same names, in every silo of the cluster; each needs a
    /// checkpointer that all silos share.
    /// </summary>
    /// <typeparam name="TState">The state type.</typeparam>
    /// <typeparam name="TUpdate">The update type.</typeparam>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">The graph's name, used by clients.</param>
    /// <param name="factory">Builds the compiled graph from the silo's services.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static ISiloBuilder AddGraph<TState, TUpdate>(this ISiloBuilder builder, string name, Func<IServiceProvider, CompiledGraph<TState, TUpdate>> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(factory);
        AddCore(builder.Services);
        builder.Services.AddSingleton(new GraphRegistration(name, sp => new HostedGraph<TState, TUpdate>(name, factory(sp), owned: true)));
        return builder;
    }

    /// <summary>Registers an already compiled graph under <paramref name="name"/> (the caller keeps ownership and disposes it).</summary>
    /// <typeparam name="TState">The state type.</typeparam>
    /// <typeparam name="TUpdate">The update type.</typeparam>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">The graph's name, used by clients.</param>
    /// <param name="graph">The compiled graph; it needs a checkpointer that all silos share.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static ISiloBuilder AddGraph<TState, TUpdate>(this ISiloBuilder builder, string name, CompiledGraph<TState, TUpdate> graph)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(graph);
        AddCore(builder.Services);
        builder.Services.AddSingleton(new GraphRegistration(name, _ => new HostedGraph<TState, TUpdate>(name, graph, owned: false)));
        return builder;
    }

    private static void AddCore(IServiceCollection services)
    {
        services.TryAddSingleton<GraphRegistry>();
        services.Configure<ExceptionSerializationOptions>(ReadableErrors.Configure);
        services.TryAddSingleton<IRunRegistry>(sp => InMemoryRunRegistry.For(sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ClusterId));
        if (!services.Any(s => s.ServiceType == typeof(RunRecoveryService)))
        {
            services.AddSingleton<RunRecoveryService>();
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<RunRecoveryService>());
        }
    }
}
