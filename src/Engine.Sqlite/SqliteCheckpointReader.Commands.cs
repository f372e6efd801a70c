using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Graph.Engine.Sqlite;

/// <summary>The reader's commands, prepared once per read connection.</summary>
internal static partial class SqliteCheckpointReader
{
    // Microsoft.Data.Sqlite keeps a command's prepared statements between executions while its text stays the same, so
    // a read connection (used by one read at a time, see SqliteCheckpointer.Read) keeps one command per query text.
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Prepared = [];

    /// <summary>
    /// The connection's command for <paramref name="sql"/>, in <paramref name="transaction"/>, with no parameters bound.
    /// It belongs to the connection: the caller must not dispose it.
    /// </summary>
    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var commands = Prepared.GetValue(connection, static _ => new Dictionary<string, SqliteCommand>(StringComparer.Ordinal));
        if (!commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            commands.Add(sql, command);
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }
}
