using Microsoft.Data.Sqlite;

namespace Graph.Engine.Sqlite;

/// <summary>Describes a <see cref="SqliteException"/> once: "SQLite error 26: file is not a database".</summary>
internal static class SqliteErrorText
{
    /// <summary>
    /// The error code and SQLite's own message. The exception's message already reads
    /// "SQLite Error 26: 'file is not a database'."; that prefix and the quotes are taken off so the code is named once.
    /// </summary>
    public static string Describe(SqliteException exception)
    {
        var code = exception.SqliteErrorCode;
        var message = exception.Message.Trim();
        var prefix = $"SQLite Error {code}: ";
        if (message.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            message = message[prefix.Length..];
            if (message.Length >= 3 && message[0] == '\'' && message.EndsWith("'.", StringComparison.Ordinal))
            {
                message = message[1..^2];
            }
        }

        message = message.TrimEnd('.');
        return message.Length == 0 ? $"SQLite error {code}" : $"SQLite error {code}: {message}";
    }
}
