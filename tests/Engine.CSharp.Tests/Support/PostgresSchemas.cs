namespace Graph.Engine.Tests.Support;

/// <summary>The PostgreSQL schemas a fixture creates for its tests, each named once and all dropped at teardown.</summary>
public sealed class PostgresSchemas
{
    private readonly List<string> names = [];

    /// <summary>A schema name no other test uses, dropped by <see cref="DropAllAsync"/>.</summary>
    public string New()
    {
        var name = PostgresServer.NewSchema();
        names.Add(name);
        return name;
    }

    /// <summary>Drops every schema named so far.</summary>
    public async Task DropAllAsync()
    {
        foreach (var name in names)
        {
            await PostgresServer.DropAsync(name);
        }

        names.Clear();
    }
}
