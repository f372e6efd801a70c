using Graph.Engine.Checkpoints;
using Microsoft.Data.Sqlite;

namespace Graph.Engine.Sqlite;

/// <summary>Maintenance of the file: the consistency check and compaction.</summary>
public sealed partial class SqliteCheckpointer
{
    /// <summary>
    /// Checks the file's references: no checkpoint without its state, no state or chunk without a user, every chunk's
    /// reference count equal to the number of states that list it, no pending write or write count without its checkpoint.
    /// </summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The counts of each kind of broken reference.</returns>
    public Task<CheckpointConsistencyReport> CheckConsistencyAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Read(threadId: null, SqliteConsistency.Check));
    }

    /// <summary>Deletes the shared properties records that no checkpoint's metadata (format 2) names.</summary>
    private const string UnusedSharedPropertiesSql =
        $"DELETE FROM shared_properties WHERE hash NOT IN (SELECT {SqliteSchema.SharedPropertiesHash} FROM checkpoints c WHERE {SqliteSchema.NamesSharedProperties});";

    /// <summary>
    /// Rebuilds the file without free pages (SQLite's <c>VACUUM</c>), after retention deleted checkpoints, and first
    /// deletes the shared properties records no checkpoint names any more (those of graphs whose checkpoints are all
    /// gone). Needs the file to itself: close every store open on it first.
    /// </summary>
    /// <param name="path">The store file.</param>
    /// <returns>The file's size before and after, in bytes.</returns>
    /// <exception cref="CheckpointStoreException">The file does not exist, is not a checkpoint store, or is in use.</exception>
    public static (long Before, long After) Compact(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new CheckpointStoreException($"'{fullPath}' does not exist.");
        }

        _ = Initialized.Value;
        SqliteSchema.OpenOrCreate(fullPath);
        var before = new FileInfo(fullPath).Length;
        try
        {
            using var connection = new SqliteConnection(SqliteSchema.ConnectionString(fullPath, SqliteOpenMode.ReadWrite));
            connection.Open();
            SqliteSchema.Execute(connection, $"PRAGMA busy_timeout = 10000; {UnusedSharedPropertiesSql} PRAGMA wal_checkpoint(TRUNCATE); VACUUM;");
        }
        catch (SqliteException exception)
        {
            throw new CheckpointStoreException($"'{fullPath}' could not be compacted: {SqliteErrorText.Describe(exception)}.", exception);
        }

        return (before, new FileInfo(fullPath).Length);
    }
}
