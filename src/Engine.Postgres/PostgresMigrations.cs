namespace Graph.Engine.Postgres;

/// <summary>
/// The store's schema, as the ordered list of migrations that build it: version N is what the first N scripts create.
/// Each script runs once, in the transaction that records the new version. <c>{s}</c> stands for the quoted schema name.
/// </summary>
/// <remarks>
/// The write operations are functions in the schema, so that each one is a single statement the writer can batch with
/// others (one round trip per batch). The fence lives in <c>put_checkpoint</c>: it locks the thread's head row and
/// refuses (SQLSTATE <c>GR001</c>/<c>GR002</c>) a checkpoint that does not follow the thread's latest one,
/// and (<c>GR004</c>, from version 2) one whose parent the thread does not hold.
/// </remarks>
internal static partial class PostgresMigrations
{
    /// <summary>Version 1: tables, the head digest and the write functions.</summary>
    private const string V1 = """
        CREATE TABLE {s}.graph_schema (name text PRIMARY KEY, value text NOT NULL);
        INSERT INTO {s}.graph_schema (name, value) VALUES ('format', 'Graph.Engine checkpoints'), ('version', '0');
        CREATE TABLE {s}.blobs (
            hash bytea PRIMARY KEY,
            data bytea NOT NULL,
            kind smallint NOT NULL,
            chunk_hashes bytea[]);
        CREATE TABLE {s}.chunks (
            hash bytea PRIMARY KEY,
            data bytea NOT NULL,
            refs bigint NOT NULL);
        CREATE TABLE {s}.threads (
            thread_id text PRIMARY KEY,
            latest_id bigint NOT NULL,
            latest_writes bigint NOT NULL,
            digest bytea NOT NULL);
        CREATE TABLE {s}.checkpoints (
            thread_id text NOT NULL,
            id bigint NOT NULL,
            parent_id bigint,
            step integer NOT NULL,
            state_type text NOT NULL,
            state_hash bytea NOT NULL,
            next_tasks bytea NOT NULL,
            planner_state bytea NOT NULL,
            metadata bytea NOT NULL,
            created_ticks bigint NOT NULL,
            created_offset_minutes integer NOT NULL,
            digest bytea NOT NULL,
            PRIMARY KEY (thread_id, id));
        CREATE INDEX checkpoints_by_state ON {s}.checkpoints (state_hash);
        CREATE TABLE {s}.writes (
            thread_id text NOT NULL,
            checkpoint_id bigint NOT NULL,
            seq bigint GENERATED ALWAYS AS IDENTITY,
            task_id text NOT NULL,
            node text NOT NULL,
            kind smallint NOT NULL,
            payload bytea NOT NULL,
            digest bytea NOT NULL,
            PRIMARY KEY (thread_id, checkpoint_id, seq));

        CREATE FUNCTION {s}.head_digest(p_thread text, p_latest bigint, p_writes bigint) RETURNS bytea
        LANGUAGE sql IMMUTABLE AS $$ SELECT sha256(convert_to(p_latest::text || ':' || p_writes::text || ':' || p_thread, 'UTF8')) $$;

        CREATE FUNCTION {s}.put_state(p_hash bytea, p_data bytea, p_kind smallint, p_chunk_hashes bytea[], p_chunks bytea[]) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE added integer;
        BEGIN
            -- The no-op update locks an existing state until commit, so a concurrent release cannot delete it under us.
            INSERT INTO {s}.blobs AS b (hash, data, kind, chunk_hashes) VALUES (p_hash, p_data, p_kind, p_chunk_hashes)
            ON CONFLICT (hash) DO UPDATE SET kind = b.kind
            RETURNING (xmax = 0)::integer INTO added;
            IF added = 1 AND p_chunk_hashes IS NOT NULL THEN
                INSERT INTO {s}.chunks AS c (hash, data, refs)
                SELECT u.h, (array_agg(u.d))[1], count(*) FROM unnest(p_chunk_hashes, p_chunks) AS u(h, d) GROUP BY u.h ORDER BY u.h
                ON CONFLICT (hash) DO UPDATE SET refs = c.refs + excluded.refs;
            END IF;
        END $$;

        CREATE FUNCTION {s}.release_states(p_hashes bytea[]) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE released bytea[];
        BEGIN
            PERFORM 1 FROM {s}.blobs WHERE hash = ANY(p_hashes) ORDER BY hash FOR UPDATE;
            WITH gone AS (
                DELETE FROM {s}.blobs b WHERE b.hash = ANY(p_hashes)
                AND NOT EXISTS (SELECT 1 FROM {s}.checkpoints c WHERE c.state_hash = b.hash)
                RETURNING b.chunk_hashes)
            SELECT array_agg(h) INTO released FROM gone, unnest(gone.chunk_hashes) AS h;
            IF released IS NOT NULL THEN
                UPDATE {s}.chunks c SET refs = c.refs - l.n
                FROM (SELECT h, count(*) AS n FROM unnest(released) AS h GROUP BY h ORDER BY h) l WHERE c.hash = l.h;
                DELETE FROM {s}.chunks WHERE hash = ANY(released) AND refs <= 0;
            END IF;
        END $$;

        CREATE FUNCTION {s}.put_checkpoint(
            p_thread text, p_id bigint, p_parent bigint, p_branch boolean, p_step integer, p_type text,
            p_hash bytea, p_state bytea, p_kind smallint, p_chunk_hashes bytea[], p_chunks bytea[],
            p_tasks bytea, p_planner bytea, p_metadata bytea, p_ticks bigint, p_offset integer, p_digest bytea,
            p_write_tasks text[], p_write_nodes text[], p_write_kinds smallint[], p_write_payloads bytea[], p_write_digests bytea[])
        RETURNS bigint LANGUAGE plpgsql AS $$
        DECLARE latest bigint; added integer; writes bigint := coalesce(cardinality(p_write_tasks), 0);
        BEGIN
            SELECT latest_id INTO latest FROM {s}.threads WHERE thread_id = p_thread FOR UPDATE;
            IF NOT FOUND THEN
                INSERT INTO {s}.threads (thread_id, latest_id, latest_writes, digest)
                VALUES (p_thread, p_id, writes, {s}.head_digest(p_thread, p_id, writes))
                ON CONFLICT (thread_id) DO NOTHING;
                GET DIAGNOSTICS added = ROW_COUNT;
                IF added = 0 THEN
                    SELECT latest_id INTO latest FROM {s}.threads WHERE thread_id = p_thread FOR UPDATE;
                END IF;
            END IF;
            IF latest IS NOT NULL THEN
                IF latest >= p_id THEN
                    RAISE EXCEPTION USING ERRCODE = 'GR001', MESSAGE = latest::text;
                END IF;
                IF NOT p_branch AND p_parent IS DISTINCT FROM latest THEN
                    RAISE EXCEPTION USING ERRCODE = 'GR002', MESSAGE = latest::text;
                END IF;
                UPDATE {s}.threads SET latest_id = p_id, latest_writes = writes, digest = {s}.head_digest(p_thread, p_id, writes)
                WHERE thread_id = p_thread;
            END IF;
            PERFORM {s}.put_state(p_hash, p_state, p_kind, p_chunk_hashes, p_chunks);
            INSERT INTO {s}.checkpoints VALUES (p_thread, p_id, p_parent, p_step, p_type, p_hash, p_tasks, p_planner, p_metadata, p_ticks, p_offset, p_digest);
            IF writes > 0 THEN
                INSERT INTO {s}.writes (thread_id, checkpoint_id, task_id, node, kind, payload, digest)
                SELECT p_thread, p_id, t, n, k, p, d FROM unnest(p_write_tasks, p_write_nodes, p_write_kinds, p_write_payloads, p_write_digests)
                    WITH ORDINALITY AS u(t, n, k, p, d, o) ORDER BY o;
            END IF;
            RETURN p_id;
        END $$;

        CREATE FUNCTION {s}.put_writes(
            p_thread text, p_checkpoint bigint, p_tasks text[], p_nodes text[], p_kinds smallint[], p_payloads bytea[], p_digests bytea[])
        RETURNS bigint LANGUAGE plpgsql AS $$
        DECLARE latest bigint; counted bigint; removed bigint;
        BEGIN
            SELECT latest_id, latest_writes INTO latest, counted FROM {s}.threads WHERE thread_id = p_thread FOR UPDATE;
            IF latest IS NULL OR (latest <> p_checkpoint
                AND NOT EXISTS (SELECT 1 FROM {s}.checkpoints WHERE thread_id = p_thread AND id = p_checkpoint)) THEN
                RAISE EXCEPTION USING ERRCODE = 'GR003', MESSAGE = p_checkpoint::text;
            END IF;
            DELETE FROM {s}.writes w USING unnest(p_tasks, p_kinds) AS u(t, k)
            WHERE w.thread_id = p_thread AND w.checkpoint_id = p_checkpoint AND w.task_id = u.t AND w.kind = u.k;
            GET DIAGNOSTICS removed = ROW_COUNT;
            INSERT INTO {s}.writes (thread_id, checkpoint_id, task_id, node, kind, payload, digest)
            SELECT p_thread, p_checkpoint, t, n, k, p, d FROM unnest(p_tasks, p_nodes, p_kinds, p_payloads, p_digests)
                WITH ORDINALITY AS u(t, n, k, p, d, o) ORDER BY o;
            IF latest = p_checkpoint THEN
                counted := counted - removed + cardinality(p_tasks);
                UPDATE {s}.threads SET latest_writes = counted, digest = {s}.head_digest(p_thread, latest, counted) WHERE thread_id = p_thread;
            END IF;
            RETURN cardinality(p_tasks);
        END $$;

        CREATE FUNCTION {s}.delete_thread(p_thread text) RETURNS bigint
        LANGUAGE plpgsql AS $$
        DECLARE hashes bytea[]; deleted bigint;
        BEGIN
            PERFORM 1 FROM {s}.threads WHERE thread_id = p_thread FOR UPDATE;
            hashes := array(SELECT DISTINCT state_hash FROM {s}.checkpoints WHERE thread_id = p_thread);
            DELETE FROM {s}.writes WHERE thread_id = p_thread;
            DELETE FROM {s}.checkpoints WHERE thread_id = p_thread;
            GET DIAGNOSTICS deleted = ROW_COUNT;
            DELETE FROM {s}.threads WHERE thread_id = p_thread;
            PERFORM {s}.release_states(hashes);
            RETURN deleted;
        END $$;

        CREATE FUNCTION {s}.prune_thread(p_thread text, p_keep integer) RETURNS bigint
        LANGUAGE plpgsql AS $$
        DECLARE cut bigint; hashes bytea[]; deleted bigint;
        BEGIN
            PERFORM 1 FROM {s}.threads WHERE thread_id = p_thread FOR UPDATE;
            SELECT id INTO cut FROM {s}.checkpoints WHERE thread_id = p_thread ORDER BY id DESC OFFSET p_keep - 1 LIMIT 1;
            IF cut IS NULL THEN
                RETURN 0;
            END IF;
            hashes := array(SELECT DISTINCT state_hash FROM {s}.checkpoints WHERE thread_id = p_thread AND id < cut);
            DELETE FROM {s}.writes WHERE thread_id = p_thread AND checkpoint_id < cut;
            DELETE FROM {s}.checkpoints WHERE thread_id = p_thread AND id < cut;
            GET DIAGNOSTICS deleted = ROW_COUNT;
            PERFORM {s}.release_states(hashes);
            RETURN deleted;
        END $$;

        CREATE FUNCTION {s}.delete_newer(p_thread text, p_id bigint) RETURNS bigint
        LANGUAGE plpgsql AS $$
        DECLARE hashes bytea[]; deleted bigint; latest bigint; counted bigint;
        BEGIN
            PERFORM 1 FROM {s}.threads WHERE thread_id = p_thread FOR UPDATE;
            hashes := array(SELECT DISTINCT state_hash FROM {s}.checkpoints WHERE thread_id = p_thread AND id > p_id);
            DELETE FROM {s}.writes WHERE thread_id = p_thread AND checkpoint_id > p_id;
            DELETE FROM {s}.checkpoints WHERE thread_id = p_thread AND id > p_id;
            GET DIAGNOSTICS deleted = ROW_COUNT;
            SELECT max(id) INTO latest FROM {s}.checkpoints WHERE thread_id = p_thread;
            IF latest IS NULL THEN
                DELETE FROM {s}.threads WHERE thread_id = p_thread;
            ELSE
                SELECT count(*) INTO counted FROM {s}.writes WHERE thread_id = p_thread AND checkpoint_id = latest;
                UPDATE {s}.threads SET latest_id = latest, latest_writes = counted, digest = {s}.head_digest(p_thread, latest, counted)
                WHERE thread_id = p_thread;
            END IF;
            PERFORM {s}.release_states(hashes);
            RETURN deleted;
        END $$;
        """;

    /// <summary>
    /// Version 2: <c>put_checkpoint</c> also refuses (SQLSTATE <c>GR004</c>) a checkpoint whose parent the thread does
    /// not hold: the first put of a thread that names a parent, or a branch from a checkpoint that is not stored.
    /// </summary>
    private const string V2 = """
        CREATE OR REPLACE FUNCTION {s}.put_checkpoint(
            p_thread text, p_id bigint, p_parent bigint, p_branch boolean, p_step integer, p_type text,
            p_hash bytea, p_state bytea, p_kind smallint, p_chunk_hashes bytea[], p_chunks bytea[],
            p_tasks bytea, p_planner bytea, p_metadata bytea, p_ticks bigint, p_offset integer, p_digest bytea,
            p_write_tasks text[], p_write_nodes text[], p_write_kinds smallint[], p_write_payloads bytea[], p_write_digests bytea[])
        RETURNS bigint LANGUAGE plpgsql AS $$
        DECLARE latest bigint; added integer; writes bigint := coalesce(cardinality(p_write_tasks), 0);
        BEGIN
            SELECT latest_id INTO latest FROM {s}.threads WHERE thread_id = p_thread FOR UPDATE;
            IF NOT FOUND AND p_parent IS NOT NULL THEN
                RAISE EXCEPTION USING ERRCODE = 'GR004', MESSAGE = '';
            END IF;
            IF NOT FOUND THEN
                INSERT INTO {s}.threads (thread_id, latest_id, latest_writes, digest)
                VALUES (p_thread, p_id, writes, {s}.head_digest(p_thread, p_id, writes))
                ON CONFLICT (thread_id) DO NOTHING;
                GET DIAGNOSTICS added = ROW_COUNT;
                IF added = 0 THEN
                    SELECT latest_id INTO latest FROM {s}.threads WHERE thread_id = p_thread FOR UPDATE;
                END IF;
            END IF;
            IF latest IS NOT NULL THEN
                IF latest >= p_id THEN
                    RAISE EXCEPTION USING ERRCODE = 'GR001', MESSAGE = latest::text;
                END IF;
                IF NOT p_branch AND p_parent IS DISTINCT FROM latest THEN
                    RAISE EXCEPTION USING ERRCODE = 'GR002', MESSAGE = latest::text;
                END IF;
                IF p_branch AND p_parent IS NOT NULL AND p_parent <> latest
                    AND NOT EXISTS (SELECT 1 FROM {s}.checkpoints WHERE thread_id = p_thread AND id = p_parent) THEN
                    RAISE EXCEPTION USING ERRCODE = 'GR004', MESSAGE = latest::text;
                END IF;
                UPDATE {s}.threads SET latest_id = p_id, latest_writes = writes, digest = {s}.head_digest(p_thread, p_id, writes)
                WHERE thread_id = p_thread;
            END IF;
            PERFORM {s}.put_state(p_hash, p_state, p_kind, p_chunk_hashes, p_chunks);
            INSERT INTO {s}.checkpoints VALUES (p_thread, p_id, p_parent, p_step, p_type, p_hash, p_tasks, p_planner, p_metadata, p_ticks, p_offset, p_digest);
            IF writes > 0 THEN
                INSERT INTO {s}.writes (thread_id, checkpoint_id, task_id, node, kind, payload, digest)
                SELECT p_thread, p_id, t, n, k, p, d FROM unnest(p_write_tasks, p_write_nodes, p_write_kinds, p_write_payloads, p_write_digests)
                    WITH ORDINALITY AS u(t, n, k, p, d, o) ORDER BY o;
            END IF;
            RETURN p_id;
        END $$;
        """;

    /// <summary>The scripts, oldest first; the schema's version is how many of them have run.</summary>
    public static readonly IReadOnlyList<string> Scripts = [V1, V2, V3, V4, V5, V6];

    /// <summary>The schema version this code reads and writes.</summary>
    public static int Version => Scripts.Count;
}
