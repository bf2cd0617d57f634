-- 4: the change feed (PostgresChangeFeed). Triggers on the tables record what changed in `changes`, one row per
-- (transaction, kind, subject) however many rows or statements the transaction wrote (a log-batch of 1,000 points is
-- one row), and at commit each row is announced with pg_notify on 'mltrack_changes' (a compact JSON payload).
-- NOTIFY reaches only the sessions listening at that moment, so `changes` is also what a listener that reconnects
-- reads to catch up. It reads by position (txid, seq), not by seq alone: seq is handed out at insert, so a
-- transaction can commit a lower seq after a higher one was read; every transaction with a txid below the snapshot's
-- xmin has ended, so none can add a row before a position below it (see PostgresChangeFeed).
-- Rows older than a day are trimmed by the writers themselves (every 1,000th row), so the table stays small with no
-- listener at all; a listener away for longer than that misses what was trimmed.

CREATE TABLE changes (
    seq           bigserial PRIMARY KEY,
    txid          xid8 NOT NULL DEFAULT pg_current_xact_id(),
    at            bigint NOT NULL DEFAULT (extract(epoch FROM clock_timestamp()) * 1000)::bigint,
    -- run_created | run_updated | run_deleted | run_restored | metrics | deployment | preferences
    kind          text COLLATE "C" NOT NULL,
    -- what changed: the run id, the deployment id or the user name
    subject       text COLLATE "C" NOT NULL,
    run_id        text COLLATE "C",
    experiment_id bigint,
    status        text COLLATE "C",
    name          text COLLATE "C",
    -- run_updated: which of status, name, tags changed
    fields        text[] NOT NULL DEFAULT '{}',
    -- metrics: the keys that got points, and their latest values ({"loss": 0.25}; NaN and infinities as strings)
    keys          text[] NOT NULL DEFAULT '{}',
    latest        jsonb,
    UNIQUE (txid, kind, subject)
);
CREATE INDEX changes_position ON changes (txid, seq);
CREATE INDEX changes_at ON changes (at);

-- Merges a row of this transaction for the same kind and subject into the first one.
CREATE FUNCTION mltrack_union(a text[], b text[]) RETURNS text[] LANGUAGE sql IMMUTABLE AS
$$ SELECT coalesce(array_agg(DISTINCT x ORDER BY x), '{}') FROM unnest(a || b) AS x $$;

-- Runs: created, deleted, restored, status or name changed; removed for good reads as deleted.
CREATE FUNCTION mltrack_runs_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO changes (kind, subject, run_id, experiment_id, status, name)
    SELECT 'run_created', n.run_id, n.run_id, n.experiment_id, n.status, n.name FROM new_rows n
    ON CONFLICT (txid, kind, subject) DO UPDATE SET status = EXCLUDED.status, name = EXCLUDED.name;
    RETURN NULL;
END $$;

CREATE FUNCTION mltrack_runs_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO changes (kind, subject, run_id, experiment_id, status, name, fields)
    SELECT c.kind, n.run_id, n.run_id, n.experiment_id, n.status, n.name, c.fields
    FROM new_rows n
    JOIN old_rows o USING (run_id)
    CROSS JOIN LATERAL (SELECT
        CASE WHEN o.lifecycle_stage <> 'deleted' AND n.lifecycle_stage = 'deleted' THEN 'run_deleted'
             WHEN o.lifecycle_stage = 'deleted' AND n.lifecycle_stage <> 'deleted' THEN 'run_restored'
             ELSE 'run_updated' END AS kind,
        array_remove(ARRAY[CASE WHEN o.status IS DISTINCT FROM n.status THEN 'status' END,
                           CASE WHEN o.name IS DISTINCT FROM n.name THEN 'name' END], NULL) AS fields) c
    WHERE c.kind <> 'run_updated' OR cardinality(c.fields) > 0
    ON CONFLICT (txid, kind, subject) DO UPDATE
        SET status = EXCLUDED.status, name = EXCLUDED.name, fields = mltrack_union(changes.fields, EXCLUDED.fields);
    RETURN NULL;
END $$;

CREATE FUNCTION mltrack_runs_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO changes (kind, subject, run_id, experiment_id, status, name)
    SELECT 'run_deleted', o.run_id, o.run_id, o.experiment_id, o.status, o.name FROM old_rows o
    ON CONFLICT (txid, kind, subject) DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER runs_changes_insert AFTER INSERT ON runs REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mltrack_runs_inserted();
CREATE TRIGGER runs_changes_update AFTER UPDATE ON runs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mltrack_runs_updated();
CREATE TRIGGER runs_changes_delete AFTER DELETE ON runs REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mltrack_runs_deleted();

-- Tags: the run's tags changed (not reported for a run created in the same transaction: its creation says it all).
CREATE FUNCTION mltrack_tags_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO changes (kind, subject, run_id, experiment_id, status, name, fields)
    SELECT 'run_updated', r.run_id, r.run_id, r.experiment_id, r.status, r.name, '{tags}'
    FROM (SELECT DISTINCT run_id FROM changed_rows) t
    JOIN runs r USING (run_id)
    WHERE NOT EXISTS (SELECT 1 FROM changes c
                      WHERE c.txid = pg_current_xact_id() AND c.kind = 'run_created' AND c.subject = t.run_id)
    ON CONFLICT (txid, kind, subject) DO UPDATE
        SET status = EXCLUDED.status, name = EXCLUDED.name, fields = mltrack_union(changes.fields, EXCLUDED.fields);
    RETURN NULL;
END $$;

CREATE TRIGGER tags_changes_insert AFTER INSERT ON tags REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mltrack_tags_changed();
CREATE TRIGGER tags_changes_update AFTER UPDATE ON tags REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mltrack_tags_changed();
CREATE TRIGGER tags_changes_delete AFTER DELETE ON tags REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mltrack_tags_changed();

-- Deployments and preferences: the record was saved (or a deployment deleted).
CREATE FUNCTION mltrack_deployments_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO changes (kind, subject, run_id, status)
    SELECT DISTINCT ON (d.deployment_id) 'deployment', d.deployment_id, d.run_id, d.status FROM changed_rows d
    ON CONFLICT (txid, kind, subject) DO UPDATE SET status = EXCLUDED.status;
    RETURN NULL;
END $$;

CREATE TRIGGER deployments_changes_insert AFTER INSERT ON deployments REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mltrack_deployments_changed();
CREATE TRIGGER deployments_changes_update AFTER UPDATE ON deployments REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mltrack_deployments_changed();
CREATE TRIGGER deployments_changes_delete AFTER DELETE ON deployments REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mltrack_deployments_changed();

CREATE FUNCTION mltrack_preferences_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO changes (kind, subject)
    SELECT DISTINCT 'preferences', p.user_name FROM changed_rows p
    ON CONFLICT (txid, kind, subject) DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER preferences_changes_insert AFTER INSERT ON preferences REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mltrack_preferences_changed();
CREATE TRIGGER preferences_changes_update AFTER UPDATE ON preferences REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mltrack_preferences_changed();

-- At commit (a deferred trigger: after every statement of the transaction, so the row is complete), each row of
-- the transaction is announced once. A payload over NOTIFY's 8,000 bytes goes without its keys and values
-- ("partial"): the listener reads them from the row.
CREATE FUNCTION mltrack_announce_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    c changes;
    payload text;
BEGIN
    SELECT * INTO c FROM changes WHERE seq = NEW.seq;
    IF NOT FOUND THEN RETURN NULL; END IF;
    payload := jsonb_strip_nulls(jsonb_build_object(
        'seq', c.seq, 'tx', c.txid::text, 'kind', c.kind, 'subject', c.subject, 'run_id', c.run_id,
        'experiment_id', c.experiment_id::text, 'status', c.status, 'name', c.name, 'fields', c.fields,
        'keys', c.keys, 'latest', c.latest))::text;
    IF octet_length(payload) > 7900 THEN
        payload := jsonb_build_object('seq', c.seq, 'tx', c.txid::text, 'partial', true)::text;
    END IF;
    PERFORM pg_notify('mltrack_changes', payload);
    IF c.seq % 1000 = 0 THEN
        DELETE FROM changes WHERE at < (extract(epoch FROM clock_timestamp()) * 1000)::bigint - 86400000;
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER changes_announce AFTER INSERT ON changes DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION mltrack_announce_change();
