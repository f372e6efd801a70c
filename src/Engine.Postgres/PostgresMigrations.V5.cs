namespace Graph.Engine.Postgres;

/// <summary>The version 5 migration: rows refer to their thread by an integer key.</summary>
internal static partial class PostgresMigrations
{
    /// <summary>SQL: the key of the thread whose id is the statement's first parameter (NULL when it has no head row).</summary>
    internal const string ThreadKey = "(SELECT thread_key FROM {s}.threads WHERE thread_id = $1)";

    /// <summary>
    /// Version 5: <c>threads</c> gives each thread id an integer <c>thread_key</c> in the order threads are created, and
    /// <c>checkpoints</c>, <c>writes</c> and <c>write_counts</c> are keyed by it instead of by the id's text. The rows a
    /// run adds then go at the right-hand end of each primary-key index instead of among the rows of other threads
    /// (with random thread ids, such as <see cref="Guid"/>s, the old layout wrote ever more WAL per run as those indexes
    /// grew). Every row's digest still covers the thread's id, not its key, so no digest changes; the write functions
    /// keep their signatures. The four tables are rebuilt: every row is copied unchanged but for its key, and the
    /// pending writes keep their order (<c>seq</c>).
    /// </summary>
    /// <remarks>
    /// A damaged schema may hold rows of a thread that has no head row. Their thread still gets a key, with a head row
    /// whose digest is empty: reading that thread reports that it has no head record, as before, and the consistency
    /// check counts it as headless. No row is dropped.
    /// </remarks>
    private const string V5 = """
        DROP INDEX {s}.checkpoints_by_state;
        ALTER TABLE {s}.threads RENAME TO threads_v4;
        ALTER TABLE {s}.threads_v4 RENAME CONSTRAINT threads_pkey TO threads_v4_pkey;
        ALTER TABLE {s}.checkpoints RENAME TO checkpoints_v4;
        ALTER TABLE {s}.checkpoints_v4 RENAME CONSTRAINT checkpoints_pkey TO checkpoints_v4_pkey;
        ALTER TABLE {s}.writes RENAME TO writes_v4;
        ALTER TABLE {s}.writes_v4 RENAME CONSTRAINT writes_pkey TO writes_v4_pkey;
        ALTER SEQUENCE {s}.writes_seq_seq RENAME TO writes_v4_seq_seq;
        ALTER TABLE {s}.write_counts RENAME TO write_counts_v4;
        ALTER TABLE {s}.write_counts_v4 RENAME CONSTRAINT write_counts_pkey TO write_counts_v4_pkey;

        CREATE TABLE {s}.threads (
            thread_key bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            thread_id text NOT NULL UNIQUE,
            latest_id bigint NOT NULL,
            latest_writes bigint NOT NULL,
            digest bytea NOT NULL);
        CREATE TABLE {s}.checkpoints (
            thread_key bigint NOT NULL,
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
            PRIMARY KEY (thread_key, id));
        CREATE TABLE {s}.writes (
            thread_key bigint NOT NULL,
            checkpoint_id bigint NOT NULL,
            seq bigint GENERATED ALWAYS AS IDENTITY,
            task_id text NOT NULL,
            node text NOT NULL,
            kind smallint NOT NULL,
            payload bytea NOT NULL,
            digest bytea NOT NULL,
            PRIMARY KEY (thread_key, checkpoint_id, seq));
        CREATE TABLE {s}.write_counts (
            thread_key bigint NOT NULL,
            checkpoint_id bigint NOT NULL,
            writes bigint NOT NULL,
            digest bytea NOT NULL,
            PRIMARY KEY (thread_key, checkpoint_id));

        INSERT INTO {s}.threads (thread_id, latest_id, latest_writes, digest)
            SELECT thread_id, latest_id, latest_writes, digest FROM {s}.threads_v4 ORDER BY thread_id;
        INSERT INTO {s}.threads (thread_id, latest_id, latest_writes, digest)
            SELECT o.thread_id, max(o.id), 0, '\x'::bytea FROM (
                SELECT thread_id, id FROM {s}.checkpoints_v4
                UNION ALL SELECT thread_id, checkpoint_id FROM {s}.writes_v4
                UNION ALL SELECT thread_id, checkpoint_id FROM {s}.write_counts_v4) o
            WHERE NOT EXISTS (SELECT 1 FROM {s}.threads_v4 h WHERE h.thread_id = o.thread_id)
            GROUP BY o.thread_id ORDER BY o.thread_id;
        INSERT INTO {s}.checkpoints (thread_key, id, parent_id, step, state_type, state_hash, next_tasks, planner_state, metadata,
                                     created_ticks, created_offset_minutes, digest)
            SELECT t.thread_key, c.id, c.parent_id, c.step, c.state_type, c.state_hash, c.next_tasks, c.planner_state, c.metadata,
                   c.created_ticks, c.created_offset_minutes, c.digest
            FROM {s}.checkpoints_v4 c JOIN {s}.threads t ON t.thread_id = c.thread_id ORDER BY t.thread_key, c.id;
        INSERT INTO {s}.writes (thread_key, checkpoint_id, seq, task_id, node, kind, payload, digest) OVERRIDING SYSTEM VALUE
            SELECT t.thread_key, w.checkpoint_id, w.seq, w.task_id, w.node, w.kind, w.payload, w.digest
            FROM {s}.writes_v4 w JOIN {s}.threads t ON t.thread_id = w.thread_id ORDER BY t.thread_key, w.checkpoint_id, w.seq;
        SELECT setval(pg_get_serial_sequence('{s}.writes', 'seq'), coalesce((SELECT max(seq) FROM {s}.writes), 0) + 1, false);
        INSERT INTO {s}.write_counts (thread_key, checkpoint_id, writes, digest)
            SELECT t.thread_key, n.checkpoint_id, n.writes, n.digest
            FROM {s}.write_counts_v4 n JOIN {s}.threads t ON t.thread_id = n.thread_id ORDER BY t.thread_key, n.checkpoint_id;
        DROP TABLE {s}.threads_v4, {s}.checkpoints_v4, {s}.writes_v4, {s}.write_counts_v4;
        CREATE INDEX checkpoints_by_state ON {s}.checkpoints (state_hash);

        DROP FUNCTION {s}.set_write_count(text, bigint, bigint);
        CREATE FUNCTION {s}.set_write_count(p_key bigint, p_thread text, p_id bigint, p_writes bigint) RETURNS void
        LANGUAGE sql AS $$
            INSERT INTO {s}.write_counts AS w (thread_key, checkpoint_id, writes, digest)
            VALUES (p_key, p_id, p_writes, {s}.write_count_digest(p_thread, p_id, p_writes))
            ON CONFLICT (thread_key, checkpoint_id) DO UPDATE SET writes = excluded.writes, digest = excluded.digest
        $$;

        CREATE OR REPLACE FUNCTION {s}.put_checkpoint(
            p_thread text, p_id bigint, p_parent bigint, p_branch boolean, p_step integer, p_type text,
            p_hash bytea, p_state bytea, p_kind smallint, p_chunk_hashes bytea[], p_chunks bytea[],
            p_tasks bytea, p_planner bytea, p_metadata bytea, p_ticks bigint, p_offset integer, p_digest bytea,
            p_write_tasks text[], p_write_nodes text[], p_write_kinds smallint[], p_write_payloads bytea[], p_write_digests bytea[])
        RETURNS bigint LANGUAGE plpgsql AS $$
        DECLARE thread bigint; latest bigint; counted bigint; writes bigint := coalesce(cardinality(p_write_tasks), 0);
        BEGIN
            SELECT thread_key, latest_id, latest_writes INTO thread, latest, counted FROM {s}.threads WHERE thread_id = p_thread FOR UPDATE;
            IF NOT FOUND AND p_parent IS NOT NULL THEN
                RAISE EXCEPTION USING ERRCODE = 'GR004', MESSAGE = '';
            END IF;
            IF NOT FOUND THEN
                INSERT INTO {s}.threads (thread_id, latest_id, latest_writes, digest)
                VALUES (p_thread, p_id, writes, {s}.head_digest(p_thread, p_id, writes))
                ON CONFLICT (thread_id) DO NOTHING
                RETURNING thread_key INTO thread;
                IF thread IS NULL THEN
                    SELECT thread_key, latest_id, latest_writes INTO thread, latest, counted FROM {s}.threads WHERE thread_id = p_thread FOR UPDATE;
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
                    AND NOT EXISTS (SELECT 1 FROM {s}.checkpoints WHERE thread_key = thread AND id = p_parent) THEN
                    RAISE EXCEPTION USING ERRCODE = 'GR004', MESSAGE = latest::text;
                END IF;
                -- The previous latest's writes are counted in write_counts from now on.
                IF counted > 0 THEN
                    PERFORM {s}.set_write_count(thread, p_thread, latest, counted);
                END IF;
                UPDATE {s}.threads SET latest_id = p_id, latest_writes = writes, digest = {s}.head_digest(p_thread, p_id, writes)
                WHERE thread_key = thread;
            END IF;
            PERFORM {s}.put_state(p_hash, p_state, p_kind, p_chunk_hashes, p_chunks);
            INSERT INTO {s}.checkpoints (thread_key, id, parent_id, step, state_type, state_hash, next_tasks, planner_state, metadata,
                                         created_ticks, created_offset_minutes, digest)
            VALUES (thread, p_id, p_parent, p_step, p_type, p_hash, p_tasks, p_planner, p_metadata, p_ticks, p_offset, p_digest);
            IF writes > 0 THEN
                INSERT INTO {s}.writes (thread_key, checkpoint_id, task_id, node, kind, payload, digest)
                SELECT thread, p_id, t, n, k, p, d FROM unnest(p_write_tasks, p_write_nodes, p_write_kinds, p_write_payloads, p_write_digests)
                    WITH ORDINALITY AS u(t, n, k, p, d, o) ORDER BY o;
            END IF;
            RETURN p_id;
        END $$;

        CREATE OR REPLACE FUNCTION {s}.put_writes(
            p_thread text, p_checkpoint bigint, p_tasks text[], p_nodes text[], p_kinds smallint[], p_payloads bytea[], p_digests bytea[])
        RETURNS bigint LANGUAGE plpgsql AS $$
        DECLARE thread bigint; latest bigint; counted bigint; removed bigint;
        BEGIN
            SELECT thread_key, latest_id, latest_writes INTO thread, latest, counted FROM {s}.threads WHERE thread_id = p_thread FOR UPDATE;
            IF latest IS NULL OR (latest <> p_checkpoint
                AND NOT EXISTS (SELECT 1 FROM {s}.checkpoints WHERE thread_key = thread AND id = p_checkpoint)) THEN
                RAISE EXCEPTION USING ERRCODE = 'GR003', MESSAGE = p_checkpoint::text;
            END IF;
            DELETE FROM {s}.writes w USING unnest(p_tasks, p_kinds) AS u(t, k)
            WHERE w.thread_key = thread AND w.checkpoint_id = p_checkpoint AND w.task_id = u.t AND w.kind = u.k;
            GET DIAGNOSTICS removed = ROW_COUNT;
            INSERT INTO {s}.writes (thread_key, checkpoint_id, task_id, node, kind, payload, digest)
            SELECT thread, p_checkpoint, t, n, k, p, d FROM unnest(p_tasks, p_nodes, p_kinds, p_payloads, p_digests)
                WITH ORDINALITY AS u(t, n, k, p, d, o) ORDER BY o;
            IF latest = p_checkpoint THEN
                counted := counted - removed + cardinality(p_tasks);
                UPDATE {s}.threads SET latest_writes = counted, digest = {s}.head_digest(p_thread, latest, counted) WHERE thread_key = thread;
            ELSE
                PERFORM {s}.set_write_count(thread, p_thread, p_checkpoint,
                    (SELECT count(*) FROM {s}.writes WHERE thread_key = thread AND checkpoint_id = p_checkpoint));
            END IF;
            RETURN cardinality(p_tasks);
        END $$;

        CREATE OR REPLACE FUNCTION {s}.delete_thread(p_thread text) RETURNS bigint
        LANGUAGE plpgsql AS $$
        DECLARE thread bigint; hashes bytea[]; deleted bigint;
        BEGIN
            SELECT thread_key INTO thread FROM {s}.threads WHERE thread_id = p_thread FOR UPDATE;
            IF NOT FOUND THEN
                RETURN 0;
            END IF;
            hashes := array(SELECT DISTINCT state_hash FROM {s}.checkpoints WHERE thread_key = thread);
            DELETE FROM {s}.writes WHERE thread_key = thread;
            DELETE FROM {s}.write_counts WHERE thread_key = thread;
            DELETE FROM {s}.checkpoints WHERE thread_key = thread;
            GET DIAGNOSTICS deleted = ROW_COUNT;
            DELETE FROM {s}.threads WHERE thread_key = thread;
            PERFORM {s}.release_states(hashes);
            RETURN deleted;
        END $$;

        CREATE OR REPLACE FUNCTION {s}.prune_thread(p_thread text, p_keep integer) RETURNS bigint
        LANGUAGE plpgsql AS $$
        DECLARE thread bigint; cut bigint; hashes bytea[]; deleted bigint;
        BEGIN
            SELECT thread_key INTO thread FROM {s}.threads WHERE thread_id = p_thread FOR UPDATE;
            SELECT id INTO cut FROM {s}.checkpoints WHERE thread_key = thread ORDER BY id DESC OFFSET p_keep - 1 LIMIT 1;
            IF cut IS NULL THEN
                RETURN 0;
            END IF;
            hashes := array(SELECT DISTINCT state_hash FROM {s}.checkpoints WHERE thread_key = thread AND id < cut);
            DELETE FROM {s}.writes WHERE thread_key = thread AND checkpoint_id < cut;
            DELETE FROM {s}.write_counts WHERE thread_key = thread AND checkpoint_id < cut;
            DELETE FROM {s}.checkpoints WHERE thread_key = thread AND id < cut;
            GET DIAGNOSTICS deleted = ROW_COUNT;
            PERFORM {s}.release_states(hashes);
            RETURN deleted;
        END $$;

        CREATE OR REPLACE FUNCTION {s}.delete_newer(p_thread text, p_id bigint) RETURNS bigint
        LANGUAGE plpgsql AS $$
        DECLARE thread bigint; hashes bytea[]; deleted bigint; latest bigint; counted bigint;
        BEGIN
            SELECT thread_key INTO thread FROM {s}.threads WHERE thread_id = p_thread FOR UPDATE;
            IF NOT FOUND THEN
                RETURN 0;
            END IF;
            hashes := array(SELECT DISTINCT state_hash FROM {s}.checkpoints WHERE thread_key = thread AND id > p_id);
            DELETE FROM {s}.writes WHERE thread_key = thread AND checkpoint_id > p_id;
            DELETE FROM {s}.checkpoints WHERE thread_key = thread AND id > p_id;
            GET DIAGNOSTICS deleted = ROW_COUNT;
            SELECT max(id) INTO latest FROM {s}.checkpoints WHERE thread_key = thread;
            IF latest IS NULL THEN
                DELETE FROM {s}.write_counts WHERE thread_key = thread;
                DELETE FROM {s}.threads WHERE thread_key = thread;
            ELSE
                -- The new latest's writes are counted by the head row from now on.
                DELETE FROM {s}.write_counts WHERE thread_key = thread AND checkpoint_id >= latest;
                SELECT count(*) INTO counted FROM {s}.writes WHERE thread_key = thread AND checkpoint_id = latest;
                UPDATE {s}.threads SET latest_id = latest, latest_writes = counted, digest = {s}.head_digest(p_thread, latest, counted)
                WHERE thread_key = thread;
            END IF;
            PERFORM {s}.release_states(hashes);
            RETURN deleted;
        END $$;
        """;
}
