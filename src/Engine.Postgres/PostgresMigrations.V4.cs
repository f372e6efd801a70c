namespace Graph.Engine.Postgres;

/// <summary>The version 4 migration: the metadata a graph's checkpoints share, stored once.</summary>
internal static partial class PostgresMigrations
{
    /// <summary>SQL over a checkpoint row <c>c</c>: whether its metadata names a shared properties record (format 2).</summary>
    internal const string NamesSharedProperties = "substring(c.metadata FROM 1 FOR 1) = '\\x02'::bytea";

    /// <summary>SQL over a checkpoint row <c>c</c>: the hash of the shared properties record its metadata names (its last 32 bytes).</summary>
    internal const string SharedPropertiesHash = "substring(c.metadata FROM length(c.metadata) - 31)";

    /// <summary>
    /// Version 4: <c>shared_properties</c> keeps, once under its SHA-256, the metadata properties every checkpoint of one
    /// graph records alike (its fingerprint, node names and update type); a checkpoint's metadata names the record by
    /// that hash (format 2) instead of repeating it. <c>put_shared</c> stores a record unless present; the writer calls
    /// it in the statement of every put that names one, so a put never names a record its transaction did not see.
    /// Records are never deleted: a writer in another process may be about to name one (they are a few hundred bytes
    /// per version of a graph). Existing rows keep their whole metadata (format 1).
    /// </summary>
    private const string V4 = """
        CREATE TABLE {s}.shared_properties (
            hash bytea PRIMARY KEY,
            data bytea NOT NULL);

        CREATE FUNCTION {s}.put_shared(p_hash bytea, p_data bytea) RETURNS void
        LANGUAGE sql AS $$
            INSERT INTO {s}.shared_properties (hash, data) VALUES (p_hash, p_data) ON CONFLICT (hash) DO NOTHING
        $$;
        """;
}
