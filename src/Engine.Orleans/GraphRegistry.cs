using Microsoft.Extensions.DependencyInjection;

namespace Graph.Engine.Orleans;

/// <summary>One graph registration: a name and how a silo builds its hosted graph.</summary>
internal sealed record GraphRegistration(string Name, Func<IServiceProvider, IHostedGraph> Create);

/// <summary>The graphs registered in this silo, by name, built on first use and disposed with the silo.</summary>
internal sealed class GraphRegistry : IAsyncDisposable
{
    private readonly Dictionary<string, Lazy<IHostedGraph>> graphs = new(StringComparer.Ordinal);

    public GraphRegistry(IServiceProvider services)
    {
        foreach (var registration in services.GetServices<GraphRegistration>())
        {
            if (graphs.ContainsKey(registration.Name))
            {
                throw new InvalidOperationException($"Graph '{registration.Name}' is registered twice in this silo; names must be unique.");
            }

            graphs.Add(registration.Name, new Lazy<IHostedGraph>(() => registration.Create(services)));
        }
    }

    /// <summary>The graph named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No graph of that name is registered here.</exception>
    public IHostedGraph Get(string name) =>
        graphs.TryGetValue(name, out var graph)
            ? graph.Value
            : throw new ArgumentException(
                $"No graph named '{name}' is registered in this silo (registered: {string.Join(", ", graphs.Keys.Order(StringComparer.Ordinal))}); register it with AddGraph in every silo.",
                nameof(name));

    public async ValueTask DisposeAsync()
    {
        foreach (var graph in graphs.Values.Where(g => g.IsValueCreated))
        {
            await graph.Value.DisposeAsync().ConfigureAwait(false);
        }
    }
}
