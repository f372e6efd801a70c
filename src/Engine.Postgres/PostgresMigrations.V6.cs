namespace Graph.Engine.Postgres;

/// <summary>The version 6 migration: the small helper functions cost a write no planning per call.</summary>
internal static partial class PostgresMigrations
{
    /// <summary>
    /// Version 6: the same functions and the same bytes, declared so the server runs them cheaply. The two digest
    /// functions were <c>IMMUTABLE</c> around <c>convert_to</c>, which is only <c>STABLE</c>, so the planner never inlined
    /// them: every call from a write function went through the SQL-function executor, planned afresh, about 25 us each on
    /// the machine measured, and a chain10 run made 37 of them. Declared <c>STABLE</c>, they are inlined into the statement
    /// that calls them. <c>set_write_count</c> and <c>put_shared</c>, single statements in <c>LANGUAGE sql</c> (planned on
    /// every call as well), become PL/pgSQL, whose plans a session keeps. Signatures, results and digests are unchanged;
    /// no row is touched.
    /// </summary>
    private const string V6 = """
        CREATE OR REPLACE FUNCTION {s}.head_digest(p_thread text, p_latest bigint, p_writes bigint) RETURNS bytea
        LANGUAGE sql STABLE AS $$ SELECT sha256(convert_to(p_latest::text || ':' || p_writes::text || ':' || p_thread, 'UTF8')) $$;

        CREATE OR REPLACE FUNCTION {s}.write_count_digest(p_thread text, p_id bigint, p_writes bigint) RETURNS bytea
        LANGUAGE sql STABLE AS $$ SELECT sha256(convert_to('writes:' || p_id::text || ':' || p_writes::text || ':' || p_thread, 'UTF8')) $$;

        CREATE OR REPLACE FUNCTION {s}.set_write_count(p_key bigint, p_thread text, p_id bigint, p_writes bigint) RETURNS void
        LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {s}.write_counts AS w (thread_key, checkpoint_id, writes, digest)
            VALUES (p_key, p_id, p_writes, {s}.write_count_digest(p_thread, p_id, p_writes))
            ON CONFLICT (thread_key, checkpoint_id) DO UPDATE SET writes = excluded.writes, digest = excluded.digest;
        END $$;

        CREATE OR REPLACE FUNCTION {s}.put_shared(p_hash bytea, p_data bytea) RETURNS void
        LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {s}.shared_properties (hash, data) VALUES (p_hash, p_data) ON CONFLICT (hash) DO NOTHING;
        END $$;
        """;
}
