using System.Runtime.CompilerServices;

// The SQLite store shares the checkpoint validation and equality helpers of the core.
[assembly: InternalsVisibleTo("Graph.Engine.Sqlite")]
