using Graph.Engine.Sqlite;

namespace Graph.Engine.Testing.Tests.Simulation;

/// <summary>Simulation cases on the SQLite store: each case writes to a new database file in a temporary folder.</summary>
public static class SqliteSimulation
{
    /// <summary>Runs case <paramref name="seed"/> on a SQLite file; returns null when every invariant holds, else what broke.</summary>
    /// <param name="seed">The case.</param>
    public static string? Run(int seed)
    {
        var folder = Directory.CreateTempSubdirectory("graph-sim-");
        try
        {
            return Simulator.Run(seed, () => SqliteCheckpointer.Open(Path.Combine(folder.FullName, "checkpoints.db")), $"SqliteSimulation.Run({seed})");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
