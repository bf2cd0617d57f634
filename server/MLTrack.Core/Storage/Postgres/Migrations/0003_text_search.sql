-- 3: full-text search (PostgresTrackingStore.TextSearch.cs), PostgreSQL's own: one text_docs row per searchable thing
-- (run, experiment, param, tag, metric key, artifact path) with its text and a tsvector of it in a GIN index, kept
-- current by triggers in the same transactions as the writes. As SQLite's FTS5 index (TextSearchSchema.cs):
--   * words are what unicode61 makes of the text: letters and digits, lower-cased, diacritics removed, so
--     val_loss, checkpoints/best_model.pt and resnet50-finetune are split into their words ('simple' configuration:
--     no stemming, no stop words; mltrack_text_words turns everything else into spaces first);
--   * the title (name, key, path) weighs A, the detail (value, context) B;
--   * deleted runs and experiments stay indexed and are filtered at query time, so a restore needs no re-indexing.
-- owner is the run_id, or the experiment id as text for experiments: rows are distributable by run like every
-- per-run table. text_vocab holds every word ever indexed, for typo tolerance (insert-only: ON CONFLICT DO NOTHING
-- takes no lock on an existing word, so concurrent writers never queue on popular words like "loss").

CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE FUNCTION mltrack_text_words(t text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT regexp_replace(lower(unaccent(coalesce(t, ''))), '[^[:alnum:]]+', ' ', 'g') $$;

CREATE FUNCTION mltrack_text_vector(title text, detail text) RETURNS tsvector LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT setweight(to_tsvector('simple', mltrack_text_words(title)), 'A')
       || setweight(to_tsvector('simple', mltrack_text_words(left(detail, 100000))), 'B') $$;

CREATE TABLE text_docs (
    doc_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- insertion order: the newest matches are ranked first
    kind   text COLLATE "C" NOT NULL CHECK (kind IN ('run', 'experiment', 'param', 'tag', 'metric', 'artifact')),
    owner  text COLLATE "C" NOT NULL,
    item   text COLLATE "C" NOT NULL,  -- '' for runs and experiments, else the key or path
    ts     bigint NOT NULL,            -- the run's start (experiment: creation), for the recency boost
    title  text NOT NULL,
    detail text NOT NULL,
    doc    tsvector NOT NULL
);
CREATE INDEX text_docs_doc ON text_docs USING gin (doc);
-- Triggers find a row by what it mirrors; md5 because keys and paths may be longer than a b-tree entry holds.
CREATE INDEX text_docs_owner ON text_docs (owner, kind, md5(item));

CREATE TABLE text_vocab (term text COLLATE "C" PRIMARY KEY);

CREATE FUNCTION mltrack_text_doc_vocab() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO text_vocab (term) SELECT lexeme FROM unnest(NEW.doc) ORDER BY lexeme ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER text_docs_vocab AFTER INSERT OR UPDATE OF doc ON text_docs FOR EACH ROW EXECUTE FUNCTION mltrack_text_doc_vocab();

CREATE FUNCTION mltrack_text_upsert(p_kind text, p_owner text, p_item text, p_ts bigint, p_title text, p_detail text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE text_docs SET title = p_title, detail = p_detail, doc = mltrack_text_vector(p_title, p_detail)
    WHERE owner = p_owner AND kind = p_kind AND md5(item) = md5(p_item) AND item = p_item;
    IF NOT FOUND THEN
        INSERT INTO text_docs (kind, owner, item, ts, title, detail, doc)
        VALUES (p_kind, p_owner, p_item, p_ts, p_title, p_detail, mltrack_text_vector(p_title, p_detail));
    END IF;
END $$;

CREATE FUNCTION mltrack_text_remove(p_kind text, p_owner text, p_item text) RETURNS void LANGUAGE sql AS $$
    DELETE FROM text_docs WHERE owner = p_owner AND kind = p_kind AND md5(item) = md5(p_item) AND item = p_item
$$;

CREATE FUNCTION mltrack_text_run_detail(r runs) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT r.run_id || ' ' || coalesce(r.source_file, '') || ' ' || coalesce(r.user_id, '') || ' ' || coalesce(r.git_branch, '')
$$;

CREATE FUNCTION mltrack_text_runs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM text_docs WHERE owner = OLD.run_id AND kind <> 'experiment';
        RETURN NULL;
    END IF;
    PERFORM mltrack_text_upsert('run', NEW.run_id, '', NEW.start_time, coalesce(NEW.name, ''), mltrack_text_run_detail(NEW));
    RETURN NULL;
END $$;
CREATE TRIGGER text_runs_ai AFTER INSERT ON runs FOR EACH ROW EXECUTE FUNCTION mltrack_text_runs();
CREATE TRIGGER text_runs_au AFTER UPDATE OF name, source_file, user_id, git_branch ON runs FOR EACH ROW
    WHEN (NEW.name IS DISTINCT FROM OLD.name OR NEW.source_file IS DISTINCT FROM OLD.source_file
          OR NEW.user_id IS DISTINCT FROM OLD.user_id OR NEW.git_branch IS DISTINCT FROM OLD.git_branch)
    EXECUTE FUNCTION mltrack_text_runs();
CREATE TRIGGER text_runs_ad AFTER DELETE ON runs FOR EACH ROW EXECUTE FUNCTION mltrack_text_runs();

CREATE FUNCTION mltrack_text_experiments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM mltrack_text_remove('experiment', OLD.experiment_id::text, '');
    ELSE
        PERFORM mltrack_text_upsert('experiment', NEW.experiment_id::text, '', NEW.creation_time, NEW.name, '');
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER text_experiments_ai AFTER INSERT ON experiments FOR EACH ROW EXECUTE FUNCTION mltrack_text_experiments();
CREATE TRIGGER text_experiments_au AFTER UPDATE OF name ON experiments FOR EACH ROW
    WHEN (NEW.name IS DISTINCT FROM OLD.name) EXECUTE FUNCTION mltrack_text_experiments();
CREATE TRIGGER text_experiments_ad AFTER DELETE ON experiments FOR EACH ROW EXECUTE FUNCTION mltrack_text_experiments();

-- params and tags (TG_ARGV[0] is the kind): title the key, detail the value.
CREATE FUNCTION mltrack_text_pairs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM mltrack_text_remove(TG_ARGV[0], OLD.run_id, OLD.key);
    ELSE
        PERFORM mltrack_text_upsert(TG_ARGV[0], NEW.run_id, NEW.key,
            (SELECT start_time FROM runs WHERE run_id = NEW.run_id), NEW.key, NEW.value);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER text_params_ai AFTER INSERT ON params FOR EACH ROW EXECUTE FUNCTION mltrack_text_pairs('param');
CREATE TRIGGER text_params_au AFTER UPDATE OF value ON params FOR EACH ROW
    WHEN (NEW.value IS DISTINCT FROM OLD.value) EXECUTE FUNCTION mltrack_text_pairs('param');
CREATE TRIGGER text_params_ad AFTER DELETE ON params FOR EACH ROW EXECUTE FUNCTION mltrack_text_pairs('param');
CREATE TRIGGER text_tags_ai AFTER INSERT ON tags FOR EACH ROW EXECUTE FUNCTION mltrack_text_pairs('tag');
CREATE TRIGGER text_tags_au AFTER UPDATE OF value ON tags FOR EACH ROW
    WHEN (NEW.value IS DISTINCT FROM OLD.value) EXECUTE FUNCTION mltrack_text_pairs('tag');
CREATE TRIGGER text_tags_ad AFTER DELETE ON tags FOR EACH ROW EXECUTE FUNCTION mltrack_text_pairs('tag');

-- Metric keys (one metric_series row per run and key; its appends update other columns and fire nothing here) and
-- artifact paths (TG_ARGV[0] is the kind, TG_ARGV[1] the column): the title alone.
CREATE FUNCTION mltrack_text_names() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    name text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        name := to_jsonb(OLD) ->> TG_ARGV[1];
        PERFORM mltrack_text_remove(TG_ARGV[0], OLD.run_id, name);
    ELSE
        name := to_jsonb(NEW) ->> TG_ARGV[1];
        PERFORM mltrack_text_upsert(TG_ARGV[0], NEW.run_id, name, (SELECT start_time FROM runs WHERE run_id = NEW.run_id), name, '');
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER text_metrics_ai AFTER INSERT ON metric_series FOR EACH ROW EXECUTE FUNCTION mltrack_text_names('metric', 'key');
CREATE TRIGGER text_metrics_ad AFTER DELETE ON metric_series FOR EACH ROW EXECUTE FUNCTION mltrack_text_names('metric', 'key');
CREATE TRIGGER text_artifacts_ai AFTER INSERT ON artifacts FOR EACH ROW EXECUTE FUNCTION mltrack_text_names('artifact', 'path');
CREATE TRIGGER text_artifacts_ad AFTER DELETE ON artifacts FOR EACH ROW EXECUTE FUNCTION mltrack_text_names('artifact', 'path');

-- Backfill what the store already holds, in SQLite's order (experiments, runs, params, tags, metrics, artifacts).
INSERT INTO text_docs (kind, owner, item, ts, title, detail, doc)
    SELECT 'experiment', experiment_id::text, '', creation_time, name, '', mltrack_text_vector(name, '') FROM experiments ORDER BY experiment_id;
INSERT INTO text_docs (kind, owner, item, ts, title, detail, doc)
    SELECT 'run', run_id, '', start_time, coalesce(name, ''), mltrack_text_run_detail(r), mltrack_text_vector(coalesce(name, ''), mltrack_text_run_detail(r))
    FROM runs r ORDER BY run_seq;
INSERT INTO text_docs (kind, owner, item, ts, title, detail, doc)
    SELECT 'param', p.run_id, p.key, r.start_time, p.key, p.value, mltrack_text_vector(p.key, p.value) FROM params p JOIN runs r USING (run_id) ORDER BY r.run_seq, p.key;
INSERT INTO text_docs (kind, owner, item, ts, title, detail, doc)
    SELECT 'tag', t.run_id, t.key, r.start_time, t.key, t.value, mltrack_text_vector(t.key, t.value) FROM tags t JOIN runs r USING (run_id) ORDER BY r.run_seq, t.key;
INSERT INTO text_docs (kind, owner, item, ts, title, detail, doc)
    SELECT 'metric', m.run_id, m.key, r.start_time, m.key, '', mltrack_text_vector(m.key, '') FROM metric_series m JOIN runs r USING (run_id) ORDER BY r.run_seq, m.key;
INSERT INTO text_docs (kind, owner, item, ts, title, detail, doc)
    SELECT 'artifact', a.run_id, a.path, r.start_time, a.path, '', mltrack_text_vector(a.path, '') FROM artifacts a JOIN runs r USING (run_id) ORDER BY r.run_seq, a.path;
