using Graph.Engine.Checkpoints;
using Graph.Engine.Checkpoints.Storage;
using Microsoft.Data.Sqlite;

namespace Graph.Engine.Sqlite;

/// <summary>
/// Recognises, creates and describes the store's file format. A file is recognised only when its SQLite
/// <c>application_id</c> is ours and its <c>graph_schema</c> table names a version this code knows; anything
/// else is refused before a single byte is written.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>"GRPH": the SQLite application id of a checkpoint store.</summary>
    public const int ApplicationId = 0x47525048;

    /// <summary>The schema version this code reads and writes (version 1 to 6 files are migrated when opened).</summary>
    public const int Version = 7;

    /// <summary>
    /// States of 1 to this many bytes are stored in their checkpoint row (schema version 5 on); larger ones (and an empty
    /// one) in <c>blobs</c> under their hash, shared by every checkpoint with the same state.
    /// </summary>
    /// <remarks>
    /// A put of a small state then writes no blob row and no entry in the hash-ordered <c>checkpoints_by_state</c>
    /// index (a partial index over the rows whose state is in <c>blobs</c>): each such entry lands at its own place in
    /// the index and dirtied a page of its own in the commit. What a row state gives up is sharing an unchanged state
    /// between checkpoints, at most this many bytes per checkpoint.
    /// </remarks>
    public const int RowStateLimit = 1024;

    /// <summary>
    /// Version 1 to 2: blobs get a <c>kind</c> (0 = the raw state, which is what every version 1 blob is; 1 = a chunk
    /// manifest) and states larger than <see cref="StateChunks.InlineLimit"/> are stored as content-defined chunks.
    /// No existing row is rewritten; the whole migration is one transaction.
    /// </summary>
    private const string MigrateV1Sql = """
        ALTER TABLE blobs ADD COLUMN kind INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE chunks (
            hash BLOB NOT NULL PRIMARY KEY,
            data BLOB NOT NULL,
            refs INTEGER NOT NULL);
        UPDATE graph_schema SET value = '2' WHERE name = 'version';
        """;

    /// <summary>
    /// The tables of threads and their rows (schema version 6): <c>threads</c> gives each thread id an integer
    /// <c>thread_key</c> in the order threads are created, and checkpoints, pending writes and write counts are keyed by
    /// it, so the rows a run adds go at the right-hand end of each table and index instead of among the rows of other
    /// threads. Every row's digest still covers the thread's id, not its key.
    /// </summary>
    internal const string ThreadTablesSql = """
        CREATE TABLE threads (
            thread_key INTEGER PRIMARY KEY,
            thread_id TEXT NOT NULL UNIQUE,
            latest_id INTEGER NOT NULL,
            latest_writes INTEGER NOT NULL,
            digest BLOB NOT NULL);
        CREATE TABLE checkpoints (
            thread_key INTEGER NOT NULL,
            id INTEGER NOT NULL,
            parent_id INTEGER,
            step INTEGER NOT NULL,
            state_type TEXT NOT NULL,
            state_hash BLOB NOT NULL,
            next_tasks BLOB NOT NULL,
            planner_state BLOB NOT NULL,
            metadata BLOB NOT NULL,
            created_ticks INTEGER NOT NULL,
            created_offset_minutes INTEGER NOT NULL,
            digest BLOB NOT NULL,
            state BLOB,
            PRIMARY KEY (thread_key, id));
        CREATE INDEX checkpoints_by_state ON checkpoints (state_hash) WHERE state IS NULL;
        CREATE TABLE writes (
            thread_key INTEGER NOT NULL,
            checkpoint_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            task_id TEXT NOT NULL,
            node TEXT NOT NULL,
            kind INTEGER NOT NULL,
            payload BLOB NOT NULL,
            digest BLOB NOT NULL,
            PRIMARY KEY (thread_key, checkpoint_id, seq));
        CREATE TABLE write_counts (
            thread_key INTEGER NOT NULL,
            checkpoint_id INTEGER NOT NULL,
            writes INTEGER NOT NULL,
            digest BLOB NOT NULL,
            PRIMARY KEY (thread_key, checkpoint_id)) WITHOUT ROWID;
        """;

    /// <summary>
    /// The table of metadata properties shared by the checkpoints of one graph (schema version 7), each record once under
    /// its SHA-256 (<see cref="SharedProperties"/>). A checkpoint's metadata record names it by hash (format 2) instead of
    /// repeating the graph's fingerprint, node names and update type in every row; rows of earlier versions keep their
    /// properties whole (format 1). Records no checkpoint names any more stay until <c>graph compact</c>.
    /// </summary>
    internal const string SharedPropertiesSql = """
        CREATE TABLE shared_properties (
            hash BLOB NOT NULL PRIMARY KEY,
            data BLOB NOT NULL);
        """;

    /// <summary>SQL over a checkpoint row <c>c</c>: whether its metadata names a shared properties record (format 2).</summary>
    internal const string NamesSharedProperties = "substr(c.metadata, 1, 1) = x'02'";

    /// <summary>SQL over a checkpoint row <c>c</c>: the hash of the shared properties record its metadata names (its last 32 bytes).</summary>
    internal const string SharedPropertiesHash = "substr(c.metadata, -32)";

    /// <summary>Version 6 to 7: adds <c>shared_properties</c>; no row is rewritten.</summary>
    private const string MigrateV6Sql = $"""
        {SharedPropertiesSql}
        UPDATE graph_schema SET value = '7' WHERE name = 'version';
        """;

    private const string CreateSql = $"""
        PRAGMA application_id = 1196576840;
        CREATE TABLE graph_schema (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO graph_schema (name, value) VALUES ('format', 'Graph.Engine checkpoints'), ('version', '7');
        CREATE TABLE blobs (
            hash BLOB NOT NULL PRIMARY KEY,
            data BLOB NOT NULL,
            kind INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE chunks (
            hash BLOB NOT NULL PRIMARY KEY,
            data BLOB NOT NULL,
            refs INTEGER NOT NULL);
        {ThreadTablesSql}
        {SharedPropertiesSql}
        """;

    /// <summary>
    /// Checks the file (creating the schema only in an empty database) and fails without writing otherwise. Two
    /// processes creating the same new file both succeed: the emptiness check is repeated under the write lock
    /// (<c>BEGIN IMMEDIATE</c>), so exactly one creates the schema and the other finds it.
    /// </summary>
    public static void OpenOrCreate(string path)
    {
        var exists = File.Exists(path) && new FileInfo(path).Length > 0;
        if (exists)
        {
            SqliteFileHeader.RequireWhole(path);
        }

        using var connection = new SqliteConnection(ConnectionString(path, exists ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadWriteCreate));
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout = 10000");
            var (applicationId, tables) = ReadHeader(connection, transaction: null);
            if (applicationId == 0 && tables == 0)
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                (applicationId, tables) = ReadHeader(connection, transaction);
                if (applicationId == 0 && tables == 0)
                {
                    using var create = connection.CreateCommand();
                    create.Transaction = transaction;
                    create.CommandText = CreateSql;
                    create.ExecuteNonQuery();
                    transaction.Commit();
                    return;
                }

                transaction.Rollback();
            }

            if (applicationId != ApplicationId)
            {
                throw new CheckpointStoreException(
                    $"'{path}' is a SQLite database of another application (application_id {applicationId}), not a Graph checkpoint store; it was left untouched.");
            }

            var version = Scalar(connection, "SELECT value FROM graph_schema WHERE name = 'version'") as string;
            if (version is "1" or "2" or "3" or "4" or "5" or "6" or "7")
            {
                RequireTables(connection, path, version);
            }

            if (version is "1" or "2" or "3" or "4" or "5" or "6")
            {
                // BEGIN IMMEDIATE: the version is read again under the write lock, so two processes opening the same
                // old file migrate it once.
                using var transaction = connection.BeginTransaction();
                using var migrate = connection.CreateCommand();
                migrate.Transaction = transaction;
                migrate.CommandText = "SELECT value FROM graph_schema WHERE name = 'version'";
                var current = migrate.ExecuteScalar() as string;
                if (current == "1")
                {
                    migrate.CommandText = MigrateV1Sql;
                    migrate.ExecuteNonQuery();
                    current = "2";
                }

                if (current == "2")
                {
                    SqliteDigestMigration.Apply(connection, transaction);
                    current = "3";
                }

                if (current == "3")
                {
                    SqliteWriteCountMigration.Apply(connection, transaction);
                    current = "4";
                }

                if (current == "4")
                {
                    SqliteRowStateMigration.Apply(connection, transaction);
                    current = "5";
                }

                if (current == "5")
                {
                    SqliteThreadKeyMigration.Apply(connection, transaction);
                    current = "6";
                }

                if (current == "6")
                {
                    migrate.CommandText = MigrateV6Sql;
                    migrate.ExecuteNonQuery();
                }

                transaction.Commit();
                return;
            }

            if (version != Version.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                throw new CheckpointStoreException(
                    $"'{path}' is a Graph checkpoint store with schema version '{version ?? "(none)"}'; this version of Graph.Engine.Sqlite reads version {Version} (and migrates versions 1 to 6). The file was left untouched.");
            }
        }
        catch (SqliteException exception)
        {
            throw new CheckpointStoreException(
                $"'{path}' is not a readable Graph checkpoint store ({SqliteErrorText.Describe(exception)}); it was left untouched.",
                exception);
        }
    }

    public static string ConnectionString(string path, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        Cache = SqliteCacheMode.Private,
        Pooling = false,
    }.ToString();

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Reads the application id and the number of schema objects in one statement, so both come from one snapshot.</summary>
    private static (long ApplicationId, long Tables) ReadHeader(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT (SELECT application_id FROM pragma_application_id), (SELECT count(*) FROM sqlite_master)";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Refuses a file whose version row promises tables that are missing, before anything (journal mode included) is changed.</summary>
    private static void RequireTables(SqliteConnection connection, string path, string version)
    {
        string[] required = version switch
        {
            "1" => ["blobs", "checkpoints", "writes"],
            "2" => ["blobs", "chunks", "checkpoints", "writes"],
            "3" => ["blobs", "chunks", "checkpoints", "writes", "threads"],
            "4" or "5" or "6" => ["blobs", "chunks", "checkpoints", "writes", "threads", "write_counts"],
            _ => ["blobs", "chunks", "checkpoints", "writes", "threads", "write_counts", "shared_properties"],
        };
        var missing = required
            .Where(table => Convert.ToInt64(Scalar(connection, $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"), System.Globalization.CultureInfo.InvariantCulture) == 0)
            .ToList();
        if (missing.Count > 0)
        {
            throw new CheckpointStoreException(
                $"'{path}' claims Graph checkpoint schema version {version} but lacks the table(s) {string.Join(", ", missing)}; it is damaged and was left untouched.");
        }
    }
}
