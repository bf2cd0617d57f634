-- 5: metric appends in the change feed (migration 4 records runs, tags, deployments and preferences). An append
-- inserts or updates its series' metric_series row, so a statement trigger there records one 'metrics' row per
-- (transaction, run): the keys that got points and their latest values, merged over the transaction's statements.
-- jsonb has no NaN or infinities: to_jsonb gives them as the strings "NaN", "Infinity", "-Infinity", as the feed reads them.

CREATE FUNCTION mltrack_metrics_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO changes (kind, subject, run_id, experiment_id, status, name, keys, latest)
    SELECT 'metrics', r.run_id, r.run_id, r.experiment_id, r.status, r.name, m.keys, m.latest
    FROM (SELECT s.run_id, array_agg(DISTINCT s.key ORDER BY s.key) AS keys, jsonb_object_agg(s.key, to_jsonb(s.last_value)) AS latest
          FROM changed_rows s GROUP BY s.run_id) m
    JOIN runs r USING (run_id)
    ON CONFLICT (txid, kind, subject) DO UPDATE
        SET status = EXCLUDED.status, name = EXCLUDED.name, keys = mltrack_union(changes.keys, EXCLUDED.keys),
            latest = coalesce(changes.latest, '{}') || EXCLUDED.latest;
    RETURN NULL;
END $$;

CREATE TRIGGER metric_series_changes_insert AFTER INSERT ON metric_series REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mltrack_metrics_changed();
CREATE TRIGGER metric_series_changes_update AFTER UPDATE ON metric_series REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mltrack_metrics_changed();
