namespace MLTrack.Core.Storage.Sqlite;

/// <summary>
/// The full-text index, kept current by triggers inside the same transactions as the writes it mirrors.
/// <c>text_docs</c> holds one row per searchable thing (kind, owner, item, recency) and its id is the rowid of the
/// FTS5 row holding the text (<c>title</c>: name/key/path; <c>detail</c>: value or context), so triggers update
/// and delete FTS rows by rowid instead of scanning. Owners are run rowids, except for experiments (experiment id).
/// Deleted runs and experiments stay indexed and are filtered at query time, so restore needs no re-indexing.
/// </summary>
internal static class TextSearchSchema
{
    // Kinds as stored in text_docs.kind.
    public const string Run = "run", Experiment = "experiment", Param = "param", Tag = "tag", Metric = "metric", Artifact = "artifact";

    /// <summary>Migration 2: index, vocabulary view, triggers, backfill of existing data, and the metric-key index used by hovers.</summary>
    public const string Migration =
        """
        CREATE TABLE text_docs (
            doc_id INTEGER PRIMARY KEY,
            kind   TEXT NOT NULL,
            owner  INTEGER NOT NULL,
            item   TEXT NOT NULL,
            ts     INTEGER NOT NULL,
            UNIQUE (kind, owner, item)
        );
        CREATE VIRTUAL TABLE text_index USING fts5(title, detail, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
        CREATE VIRTUAL TABLE text_vocab USING fts5vocab(text_index, 'row');
        CREATE INDEX metric_series_key_run ON metric_series(key, run_rowid);

        CREATE TRIGGER text_runs_ai AFTER INSERT ON runs BEGIN
            INSERT INTO text_docs (kind, owner, item, ts) VALUES ('run', new.run_rowid, '', new.start_time);
            INSERT INTO text_index (rowid, title, detail) VALUES (last_insert_rowid(), COALESCE(new.name, ''),
                new.run_id || ' ' || COALESCE(new.source_file, '') || ' ' || COALESCE(new.user_id, '') || ' ' || COALESCE(new.git_branch, ''));
        END;
        CREATE TRIGGER text_runs_au AFTER UPDATE OF name ON runs WHEN new.name IS NOT old.name BEGIN
            UPDATE text_index SET title = COALESCE(new.name, '')
            WHERE rowid = (SELECT doc_id FROM text_docs WHERE kind = 'run' AND owner = new.run_rowid AND item = '');
        END;

        CREATE TRIGGER text_experiments_ai AFTER INSERT ON experiments BEGIN
            INSERT INTO text_docs (kind, owner, item, ts) VALUES ('experiment', new.experiment_id, '', new.creation_time);
            INSERT INTO text_index (rowid, title, detail) VALUES (last_insert_rowid(), new.name, '');
        END;
        CREATE TRIGGER text_experiments_au AFTER UPDATE OF name ON experiments WHEN new.name IS NOT old.name BEGIN
            UPDATE text_index SET title = new.name
            WHERE rowid = (SELECT doc_id FROM text_docs WHERE kind = 'experiment' AND owner = new.experiment_id AND item = '');
        END;

        CREATE TRIGGER text_params_ai AFTER INSERT ON params BEGIN
            INSERT INTO text_docs (kind, owner, item, ts)
                VALUES ('param', new.run_rowid, new.key, (SELECT start_time FROM runs WHERE run_rowid = new.run_rowid));
            INSERT INTO text_index (rowid, title, detail) VALUES (last_insert_rowid(), new.key, new.value);
        END;

        CREATE TRIGGER text_tags_ai AFTER INSERT ON tags BEGIN
            INSERT INTO text_docs (kind, owner, item, ts)
                VALUES ('tag', new.run_rowid, new.key, (SELECT start_time FROM runs WHERE run_rowid = new.run_rowid));
            INSERT INTO text_index (rowid, title, detail) VALUES (last_insert_rowid(), new.key, new.value);
        END;
        CREATE TRIGGER text_tags_au AFTER UPDATE OF value ON tags BEGIN
            UPDATE text_index SET detail = new.value
            WHERE rowid = (SELECT doc_id FROM text_docs WHERE kind = 'tag' AND owner = new.run_rowid AND item = new.key);
        END;
        CREATE TRIGGER text_tags_ad AFTER DELETE ON tags BEGIN
            DELETE FROM text_index WHERE rowid = (SELECT doc_id FROM text_docs WHERE kind = 'tag' AND owner = old.run_rowid AND item = old.key);
            DELETE FROM text_docs WHERE kind = 'tag' AND owner = old.run_rowid AND item = old.key;
        END;

        CREATE TRIGGER text_metrics_ai AFTER INSERT ON metric_series BEGIN
            INSERT INTO text_docs (kind, owner, item, ts)
                VALUES ('metric', new.run_rowid, new.key, (SELECT start_time FROM runs WHERE run_rowid = new.run_rowid));
            INSERT INTO text_index (rowid, title, detail) VALUES (last_insert_rowid(), new.key, '');
        END;

        CREATE TRIGGER text_artifacts_ai AFTER INSERT ON artifacts BEGIN
            INSERT INTO text_docs (kind, owner, item, ts)
                VALUES ('artifact', new.run_rowid, new.path, (SELECT start_time FROM runs WHERE run_rowid = new.run_rowid));
            INSERT INTO text_index (rowid, title, detail) VALUES (last_insert_rowid(), new.path, '');
        END;
        CREATE TRIGGER text_artifacts_ad AFTER DELETE ON artifacts BEGIN
            DELETE FROM text_index WHERE rowid = (SELECT doc_id FROM text_docs WHERE kind = 'artifact' AND owner = old.run_rowid AND item = old.path);
            DELETE FROM text_docs WHERE kind = 'artifact' AND owner = old.run_rowid AND item = old.path;
        END;

        -- Backfill what the store already holds.
        INSERT INTO text_docs (kind, owner, item, ts) SELECT 'experiment', experiment_id, '', creation_time FROM experiments;
        INSERT INTO text_docs (kind, owner, item, ts) SELECT 'run', run_rowid, '', start_time FROM runs;
        INSERT INTO text_docs (kind, owner, item, ts) SELECT 'param', p.run_rowid, p.key, r.start_time FROM params p JOIN runs r USING (run_rowid);
        INSERT INTO text_docs (kind, owner, item, ts) SELECT 'tag', t.run_rowid, t.key, r.start_time FROM tags t JOIN runs r USING (run_rowid);
        INSERT INTO text_docs (kind, owner, item, ts) SELECT 'metric', m.run_rowid, m.key, r.start_time FROM metric_series m JOIN runs r USING (run_rowid);
        INSERT INTO text_docs (kind, owner, item, ts) SELECT 'artifact', a.run_rowid, a.path, r.start_time FROM artifacts a JOIN runs r USING (run_rowid);
        INSERT INTO text_index (rowid, title, detail)
            SELECT d.doc_id, e.name, '' FROM text_docs d JOIN experiments e ON e.experiment_id = d.owner WHERE d.kind = 'experiment';
        INSERT INTO text_index (rowid, title, detail)
            SELECT d.doc_id, COALESCE(r.name, ''), r.run_id || ' ' || COALESCE(r.source_file, '') || ' ' || COALESCE(r.user_id, '') || ' ' || COALESCE(r.git_branch, '')
            FROM text_docs d JOIN runs r ON r.run_rowid = d.owner WHERE d.kind = 'run';
        INSERT INTO text_index (rowid, title, detail)
            SELECT d.doc_id, p.key, p.value FROM text_docs d JOIN params p ON p.run_rowid = d.owner AND p.key = d.item WHERE d.kind = 'param';
        INSERT INTO text_index (rowid, title, detail)
            SELECT d.doc_id, t.key, t.value FROM text_docs d JOIN tags t ON t.run_rowid = d.owner AND t.key = d.item WHERE d.kind = 'tag';
        INSERT INTO text_index (rowid, title, detail)
            SELECT d.doc_id, d.item, '' FROM text_docs d WHERE d.kind IN ('metric', 'artifact');
        """;
}
