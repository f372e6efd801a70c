using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Graph.Engine.Sqlite;

/// <summary>The reader's commands, prepared once per read connection, and its read transaction.</summary>
internal static partial class SqliteCheckpointReader
{
    // Microsoft.Data.Sqlite keeps a command's prepared statements between executions while its text stays the same, so
    // a read connection (used by one read at a time, see SqliteCheckpointer.Read) keeps one command per query text.
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Prepared = [];

    /// <summary>
    /// The connection's command for <paramref name="sql"/>, with no parameters bound. It belongs to the connection: the
    /// caller must not dispose it. It runs inside the read transaction that <see cref="Read"/> begins with a command of
    /// its own (Microsoft.Data.Sqlite's transaction object would prepare <c>BEGIN</c> and <c>COMMIT</c> again for every read).
    /// </summary>
    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var commands = Prepared.GetValue(connection, static _ => new Dictionary<string, SqliteCommand>(StringComparer.Ordinal));
        if (!commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            commands.Add(sql, command);
        }

        command.Parameters.Clear();
        return command;
    }

    /// <summary>
    /// Ends a read transaction a failure left open, so the connection goes back to the pool without one. A rollback
    /// SQLite refuses is not thrown over the failure that is already on its way.
    /// </summary>
    private static void RollBackIfOpen(SqliteConnection connection)
    {
        if (raw.sqlite3_get_autocommit(connection.Handle) != 0)
        {
            return;
        }

        try
        {
            Command(connection, "ROLLBACK").ExecuteNonQuery();
        }
        catch (SqliteException)
        {
        }
    }
}
