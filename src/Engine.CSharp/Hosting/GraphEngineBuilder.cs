using Graph.Engine.Actors;
using Graph.Engine.Graphs;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers compiled graphs as singletons on the container's <see cref="ActorSystem"/>; returned by
/// <see cref="GraphEngineServiceCollectionExtensions.AddGraphEngine"/>.
/// </summary>
public sealed class GraphEngineBuilder
{
    internal GraphEngineBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection the engine is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Registers a <see cref="CompiledGraph{TState, TUpdate}"/> singleton, resolved by its type. It is compiled on first
    /// use, with its node actors in the container's <see cref="ActorSystem"/>, and disposed with the container.
    /// </summary>
    /// <typeparam name="TState">The state type.</typeparam>
    /// <typeparam name="TUpdate">The update type.</typeparam>
    /// <param name="graph">Builds the graph; nodes may capture services from the provider.</param>
    /// <param name="options">Builds the compile options; leave <see cref="GraphCompileOptions.ActorSystem"/> unset (the container's is used).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A graph of the same type is already registered without a name (use the named overload).</exception>
    public GraphEngineBuilder AddGraph<TState, TUpdate>(Func<IServiceProvider, StateGraph<TState, TUpdate>> graph, Func<IServiceProvider, GraphCompileOptions>? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (Services.Any(d => !d.IsKeyedService && d.ServiceType == typeof(CompiledGraph<TState, TUpdate>)))
        {
            throw new InvalidOperationException($"A CompiledGraph<{typeof(TState).Name}, {typeof(TUpdate).Name}> is already registered; give each graph of these types a name.");
        }

        Services.AddSingleton(provider => Compile(provider, graph, options, null));
        return this;
    }

    /// <summary>
    /// Registers a named <see cref="CompiledGraph{TState, TUpdate}"/> singleton, resolved as a keyed service with
    /// <paramref name="name"/> as the key (<c>GetRequiredKeyedService</c>, <c>[FromKeyedServices(name)]</c>). It is compiled
    /// on first use, with its node actors in the container's <see cref="ActorSystem"/>, and disposed with the container.
    /// </summary>
    /// <typeparam name="TState">The state type.</typeparam>
    /// <typeparam name="TUpdate">The update type.</typeparam>
    /// <param name="name">The graph's name, unique among graphs of these types.</param>
    /// <param name="graph">Builds the graph; nodes may capture services from the provider.</param>
    /// <param name="options">Builds the compile options; leave <see cref="GraphCompileOptions.ActorSystem"/> unset (the container's is used).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">A graph of the same types is already registered under <paramref name="name"/>.</exception>
    public GraphEngineBuilder AddGraph<TState, TUpdate>(string name, Func<IServiceProvider, StateGraph<TState, TUpdate>> graph, Func<IServiceProvider, GraphCompileOptions>? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(graph);
        if (Services.Any(d => d.IsKeyedService && d.ServiceType == typeof(CompiledGraph<TState, TUpdate>) && Equals(d.ServiceKey, name)))
        {
            throw new InvalidOperationException($"A CompiledGraph<{typeof(TState).Name}, {typeof(TUpdate).Name}> named '{name}' is already registered.");
        }

        Services.AddKeyedSingleton(name, (provider, _) => Compile(provider, graph, options, name));
        return this;
    }

    private static CompiledGraph<TState, TUpdate> Compile<TState, TUpdate>(
        IServiceProvider provider,
        Func<IServiceProvider, StateGraph<TState, TUpdate>> graph,
        Func<IServiceProvider, GraphCompileOptions>? options,
        string? name)
    {
        var system = provider.GetRequiredService<ActorSystem>();
        var compileOptions = options?.Invoke(provider) ?? GraphCompileOptions.Default;
        if (compileOptions.ActorSystem is { } other && !ReferenceEquals(other, system))
        {
            throw new InvalidOperationException(
                $"The graph{(name is null ? string.Empty : $" '{name}'")} sets GraphCompileOptions.ActorSystem to '{other.Name}'; a graph registered with AddGraph runs on the container's actor system '{system.Name}', so leave it unset.");
        }

        var built = graph(provider) ?? throw new InvalidOperationException($"The graph{(name is null ? string.Empty : $" '{name}'")} factory returned null.");
        return built.Compile(compileOptions with { ActorSystem = system });
    }
}
