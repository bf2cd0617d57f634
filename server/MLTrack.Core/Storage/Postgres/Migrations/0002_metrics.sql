-- 2: metric series in binary chunks (Storage/Chunks: the same layout, codecs and summaries as SQLite's metric_chunks).
-- One metric_series row per run and key holds the digest (count, min/max, the latest point) and where the chunks
-- end; an append locks that row (SELECT ... FOR UPDATE), so writers on any replica append to one series one at a
-- time and never lose or duplicate a point. Both tables are keyed by run_id first (distributable by run).

CREATE TABLE metric_series (
    run_id         text COLLATE "C" NOT NULL REFERENCES runs(run_id),
    key            text COLLATE "C" NOT NULL,
    point_count    bigint NOT NULL DEFAULT 0,
    last_step      bigint NOT NULL DEFAULT 0,
    last_timestamp bigint NOT NULL DEFAULT 0,
    last_value     double precision NOT NULL DEFAULT 'NaN', -- NaN is stored as NaN (SQLite: NULL + last_is_nan)
    min_value      double precision,                        -- NULL while every value is NaN
    max_value      double precision,
    chunk_count    integer NOT NULL DEFAULT 0,
    tail_points    integer NOT NULL DEFAULT 0,              -- points in the newest chunk: merge into it or start one
    PRIMARY KEY (run_id, key)
) WITH (fillfactor = 80); -- room for HOT updates: every append rewrites its series row
-- Distinct keys (ListMetricKeys jumps through it) and the runs that have a key.
CREATE INDEX metric_series_key_run ON metric_series (key, run_id);

CREATE TABLE metric_chunks (
    run_id       text COLLATE "C" NOT NULL,
    key          text COLLATE "C" NOT NULL,
    seq          integer NOT NULL,
    point_count  integer NOT NULL,
    min_step     bigint NOT NULL,
    max_step     bigint NOT NULL,
    summary      bytea NOT NULL,   -- 512-point block summaries (MetricSummaryCodec), small: stays in the heap row
    summary_fine bytea NOT NULL,   -- 64-point block summaries
    data         bytea NOT NULL,   -- the points (MetricChunkCodec)
    PRIMARY KEY (run_id, key, seq),
    FOREIGN KEY (run_id, key) REFERENCES metric_series (run_id, key)
);
-- Doubles do not compress: store blobs uncompressed, and out of line when the row is big, so that scans of heads and
-- summaries read small heap rows.
ALTER TABLE metric_chunks ALTER COLUMN data SET STORAGE EXTERNAL, ALTER COLUMN summary_fine SET STORAGE EXTERNAL;

-- Each run's latest value per key (highest step, then newest timestamp; the later logged on a tie), with the
-- series' min/max and count: what runs, searches (filter and order by metrics.x) and analytics read.
CREATE VIEW metric_latest AS
    SELECT run_id, key, last_value AS value, last_step AS step, last_timestamp AS "timestamp", min_value, max_value, point_count
    FROM metric_series;
