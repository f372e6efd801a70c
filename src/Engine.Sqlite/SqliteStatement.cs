using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Graph.Engine.Sqlite;

/// <summary>
/// One statement of the writer's hot path, prepared once on the writer connection and bound by position: no command,
/// reader or parameter objects per execution, and no lookup of parameter names. It runs inside whatever transaction
/// the connection has open.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 database;
    private readonly sqlite3_stmt statement;

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        database = connection.Handle ?? throw new InvalidOperationException("The writer connection is not open.");
        var result = raw.sqlite3_prepare_v2(database, sql, out statement);
        SqliteException.ThrowExceptionForRC(result, database);
    }

    public SqliteStatement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(statement, index, value));
        return this;
    }

    public SqliteStatement Bind(int index, long? value)
    {
        Check(value is { } number ? raw.sqlite3_bind_int64(statement, index, number) : raw.sqlite3_bind_null(statement, index));
        return this;
    }

    public SqliteStatement Bind(int index, string value)
    {
        Check(raw.sqlite3_bind_text(statement, index, value));
        return this;
    }

    public SqliteStatement Bind(int index, ReadOnlySpan<byte> value)
    {
        Check(raw.sqlite3_bind_blob(statement, index, value));
        return this;
    }

    /// <summary>Binds the bytes, or NULL when there are none.</summary>
    public SqliteStatement Bind(int index, ReadOnlyMemory<byte>? value)
    {
        Check(value is { } bytes ? raw.sqlite3_bind_blob(statement, index, bytes.Span) : raw.sqlite3_bind_null(statement, index));
        return this;
    }

    /// <summary>Runs the statement to its end; returns the rows it changed.</summary>
    public int Execute()
    {
        var result = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (result != raw.SQLITE_DONE && result != raw.SQLITE_ROW)
        {
            SqliteException.ThrowExceptionForRC(result, database);
        }

        return raw.sqlite3_changes(database);
    }

    /// <summary>Runs a query and returns its first row's one integer column, or null when it has no row.</summary>
    public long? ReadInt64() => Read(columns: 1) is { } row ? row.First : null;

    /// <summary>Runs a query and returns the first row's first three integer columns, or null when it has no row.</summary>
    public (long First, long Second, long Third)? ReadRow() => Read(columns: 3);

    private (long First, long Second, long Third)? Read(int columns)
    {
        try
        {
            var result = raw.sqlite3_step(statement);
            if (result == raw.SQLITE_ROW)
            {
                return (
                    raw.sqlite3_column_int64(statement, 0),
                    columns > 1 ? raw.sqlite3_column_int64(statement, 1) : 0,
                    columns > 2 ? raw.sqlite3_column_int64(statement, 2) : 0);
            }

            if (result != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(result, database);
            }

            return null;
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    public void Dispose() => statement.Dispose();

    private void Check(int result) => SqliteException.ThrowExceptionForRC(result, database);
}
