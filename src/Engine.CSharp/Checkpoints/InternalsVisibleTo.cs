using System.Runtime.CompilerServices;

// The durable stores share the checkpoint validation, equality helpers and storage formats (Checkpoints/Storage) of the core.
[assembly: InternalsVisibleTo("Graph.Engine.Sqlite")]
[assembly: InternalsVisibleTo("Graph.Engine.Postgres")]
