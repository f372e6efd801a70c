namespace Graph.Engine.Postgres;

/// <summary>The version 3 migration: pending-write counts of older checkpoints.</summary>
internal static partial class PostgresMigrations
{
    /// <summary>
    /// Version 3: the <c>write_counts</c> table records, for every checkpoint that is not its thread's latest and has
    /// pending writes, how many (the thread's head row counts the latest's), each row under its
    /// <c>write_count_digest</c>; so a pending write of an older checkpoint that vanishes is detected on read. The
    /// table is filled from the writes as they are when migrated; every function that writes or deletes pending writes
    /// keeps it.
    /// </summary>
    private const string V3 = """
        CREATE TABLE {s}.write_counts (
            thread_id text NOT NULL,
            checkpoint_id bigint NOT NULL,
            writes bigint NOT NULL,
            digest bytea NOT NULL,
            PRIMARY KEY (thread_id, checkpoint_id));

        CREATE FUNCTION {s}.write_count_digest(p_thread text, p_id bigint, p_writes bigint) RETURNS bytea
        LANGUAGE sql IMMUTABLE AS $$ SELECT sha256(convert_to('writes:' || p_id::text || ':' || p_writes::text || ':' || p_thread, 'UTF8')) $$;

        CREATE FUNCTION {s}.set_write_count(p_thread text, p_id bigint, p_writes bigint) RETURNS void
        LANGUAGE sql AS $$
            INSERT INTO {s}.write_counts AS w (thread_id, checkpoint_id, writes, digest)
            VALUES (p_thread, p_id, p_writes, {s}.write_count_digest(p_thread, p_id, p_writes))
            ON CONFLICT (thread_id, checkpoint_id) DO UPDATE SET writes = excluded.writes, digest = excluded.digest
        $$;

        INSERT INTO {s}.write_counts (thread_id, checkpoint_id, writes, digest)
        SELECT w.thread_id, w.checkpoint_id, count(*), {s}.write_count_digest(w.thread_id, w.checkpoint_id, count(*))
        FROM {s}.writes w JOIN {s}.threads t ON t.thread_id = w.thread_id
        WHERE w.checkpoint_id <> t.latest_id GROUP BY w.thread_id, w.checkpoint_id;

        CREATE OR REPLACE FUNCTION {s}.put_checkpoint(
            p_thread text, p_id bigint, p_parent bigint, p_branch boolean, p_step integer, p_type text,
            p_hash bytea, p_state bytea, p_kind smallint, p_chunk_hashes bytea[], p_chunks bytea[],
            p_tasks bytea, p_planner bytea, p_metadata bytea, p_ticks bigint, p_offset integer, p_digest bytea,
            p_write_tasks text[], p_write_nodes text[], p_write_kinds smallint[], p_write_payloads bytea[], p_write_digests bytea[])
        RETURNS bigint LANGUAGE plpgsql AS $$
        DECLARE latest bigint; counted bigint; added integer; writes bigint := coalesce(cardinality(p_write_tasks), 0);
        BEGIN
            SELECT latest_id, latest_writes INTO latest, counted FROM {s}.threads WHERE thread_id = p_thread FOR UPDATE;
            IF NOT FOUND AND p_parent IS NOT NULL THEN
                RAISE EXCEPTION USING ERRCODE = 'GR004', MESSAGE = '';
            END IF;
            IF NOT FOUND THEN
                INSERT INTO {s}.threads (thread_id, latest_id, latest_writes, digest)
                VALUES (p_thread, p_id, writes, {s}.head_digest(p_thread, p_id, writes))
                ON CONFLICT (thread_id) DO NOTHING;
                GET DIAGNOSTICS added = ROW_COUNT;
                IF added = 0 THEN
                    SELECT latest_id, latest_writes INTO latest, counted FROM {s}.threads WHERE thread_id = p_thread FOR UPDATE;
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
                -- The previous latest's writes are counted in write_counts from now on.
                IF counted > 0 THEN
                    PERFORM {s}.set_write_count(p_thread, latest, counted);
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

        CREATE OR REPLACE FUNCTION {s}.put_writes(
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
            ELSE
                PERFORM {s}.set_write_count(p_thread, p_checkpoint,
                    (SELECT count(*) FROM {s}.writes WHERE thread_id = p_thread AND checkpoint_id = p_checkpoint));
            END IF;
            RETURN cardinality(p_tasks);
        END $$;

        CREATE OR REPLACE FUNCTION {s}.delete_thread(p_thread text) RETURNS bigint
        LANGUAGE plpgsql AS $$
        DECLARE hashes bytea[]; deleted bigint;
        BEGIN
            PERFORM 1 FROM {s}.threads WHERE thread_id = p_thread FOR UPDATE;
            hashes := array(SELECT DISTINCT state_hash FROM {s}.checkpoints WHERE thread_id = p_thread);
            DELETE FROM {s}.writes WHERE thread_id = p_thread;
            DELETE FROM {s}.write_counts WHERE thread_id = p_thread;
            DELETE FROM {s}.checkpoints WHERE thread_id = p_thread;
            GET DIAGNOSTICS deleted = ROW_COUNT;
            DELETE FROM {s}.threads WHERE thread_id = p_thread;
            PERFORM {s}.release_states(hashes);
            RETURN deleted;
        END $$;

        CREATE OR REPLACE FUNCTION {s}.prune_thread(p_thread text, p_keep integer) RETURNS bigint
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
            DELETE FROM {s}.write_counts WHERE thread_id = p_thread AND checkpoint_id < cut;
            DELETE FROM {s}.checkpoints WHERE thread_id = p_thread AND id < cut;
            GET DIAGNOSTICS deleted = ROW_COUNT;
            PERFORM {s}.release_states(hashes);
            RETURN deleted;
        END $$;

        CREATE OR REPLACE FUNCTION {s}.delete_newer(p_thread text, p_id bigint) RETURNS bigint
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
                DELETE FROM {s}.write_counts WHERE thread_id = p_thread;
                DELETE FROM {s}.threads WHERE thread_id = p_thread;
            ELSE
                -- The new latest's writes are counted by the head row from now on.
                DELETE FROM {s}.write_counts WHERE thread_id = p_thread AND checkpoint_id >= latest;
                SELECT count(*) INTO counted FROM {s}.writes WHERE thread_id = p_thread AND checkpoint_id = latest;
                UPDATE {s}.threads SET latest_id = latest, latest_writes = counted, digest = {s}.head_digest(p_thread, latest, counted)
                WHERE thread_id = p_thread;
            END IF;
            PERFORM {s}.release_states(hashes);
            RETURN deleted;
        END $$;
        """;
}
