using Graph.Cli.Commands;
using Npgsql;

namespace Graph.Cli.Store;

/// <summary>
/// Where a command's checkpoints are: a SQLite file, or a PostgreSQL database given by an Npgsql connection string
/// (recognised by its <c>Host=</c> key). The PostgreSQL store's schema is the connection string's <c>Search Path</c>
/// (its first entry), else <c>graph</c>.
/// </summary>
internal sealed class StoreLocation
{
    private StoreLocation(FileInfo? file, string? connectionString, string schema, string display)
    {
        File = file;
        ConnectionString = connectionString;
        Schema = schema;
        Display = display;
    }

    /// <summary>The SQLite file, or null for PostgreSQL.</summary>
    public FileInfo? File { get; }

    /// <summary>The PostgreSQL connection string, or null for a file.</summary>
    public string? ConnectionString { get; }

    /// <summary>The PostgreSQL schema of the store.</summary>
    public string Schema { get; }

    /// <summary>What to print for the store: the file's full path, or the server, database and schema (never the password).</summary>
    public string Display { get; }

    /// <summary>The <c>--db</c> value to paste back into a command.</summary>
    public string Argument => CommonOptions.Quote(File?.FullName ?? ConnectionString!);

    /// <summary>Reads a <c>--db</c> value; returns null and sets <paramref name="error"/> for a malformed connection string.</summary>
    public static StoreLocation? Parse(string value, out string? error)
    {
        error = null;
        if (!LooksLikeConnectionString(value))
        {
            var file = new FileInfo(value);
            return new StoreLocation(file, null, string.Empty, file.FullName);
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(value);
            var schema = builder.SearchPath?.Split(',')[0].Trim().Trim('"') is { Length: > 0 } first ? first : Engine.Postgres.PostgresCheckpointer.DefaultSchema;
            return new StoreLocation(null, value, schema, $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database} schema {schema}");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            error = $"--db looks like a PostgreSQL connection string but is not a valid one: {e.Message}";
            return null;
        }
    }

    private static bool LooksLikeConnectionString(string value) =>
        value.Contains('=', StringComparison.Ordinal)
        && (value.StartsWith("Host=", StringComparison.OrdinalIgnoreCase) || value.Contains(";Host=", StringComparison.OrdinalIgnoreCase) || value.StartsWith("Server=", StringComparison.OrdinalIgnoreCase) || value.Contains(";Server=", StringComparison.OrdinalIgnoreCase));
}
