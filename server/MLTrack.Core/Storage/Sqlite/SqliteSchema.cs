namespace MLTrack.Core.Storage.Sqlite;

/// <summary>
/// Versioned schema migrations, applied in order on open. Never edit a shipped step: append a new one.
/// Metric points live in per-(run, key) series, packed into binary chunks (see <see cref="Chunks.MetricChunkCodec"/>):
/// row-per-point SQLite ingests ~200k points/s, chunks ingest millions and read one key without touching others.
/// </summary>
internal static class SqliteSchema
{
    public static readonly string[] Migrations =
    [
        // 1: initial schema
        """
        CREATE TABLE experiments (
            experiment_id     INTEGER PRIMARY KEY,
            name              TEXT NOT NULL UNIQUE,
            artifact_location TEXT,
            lifecycle_stage   TEXT NOT NULL DEFAULT 'active',
            creation_time     INTEGER NOT NULL,
            last_update_time  INTEGER NOT NULL
        );
        CREATE TABLE experiment_tags (
            experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id),
            key           TEXT NOT NULL,
            value         TEXT NOT NULL,
            PRIMARY KEY (experiment_id, key)
        ) WITHOUT ROWID;
        CREATE TABLE runs (
            run_rowid       INTEGER PRIMARY KEY,
            run_id          TEXT NOT NULL UNIQUE,
            experiment_id   INTEGER NOT NULL REFERENCES experiments(experiment_id),
            name            TEXT,
            status          TEXT NOT NULL,
            user_id         TEXT,
            start_time      INTEGER NOT NULL,
            end_time        INTEGER,
            command         TEXT,
            cwd             TEXT,
            source_file     TEXT,
            exit_code       INTEGER,
            pid             INTEGER,
            host            TEXT,
            git_commit      TEXT,
            git_branch      TEXT,
            git_remote      TEXT,
            git_dirty       INTEGER,
            parent_run_id   TEXT,
            lifecycle_stage TEXT NOT NULL DEFAULT 'active',
            artifact_uri    TEXT NOT NULL
        );
        CREATE INDEX runs_experiment_start ON runs(experiment_id, start_time DESC);
        CREATE INDEX runs_start ON runs(start_time DESC, run_rowid DESC); -- the default "newest first" order, tie included
        CREATE INDEX runs_status ON runs(status);
        CREATE TABLE params (
            run_rowid INTEGER NOT NULL REFERENCES runs(run_rowid),
            key       TEXT NOT NULL,
            value     TEXT NOT NULL,
            PRIMARY KEY (run_rowid, key)
        ) WITHOUT ROWID;
        CREATE INDEX params_key_value ON params(key, value);
        CREATE TABLE tags (
            run_rowid INTEGER NOT NULL REFERENCES runs(run_rowid),
            key       TEXT NOT NULL,
            value     TEXT NOT NULL,
            PRIMARY KEY (run_rowid, key)
        ) WITHOUT ROWID;
        CREATE INDEX tags_key_value ON tags(key, value);
        CREATE TABLE metric_series (
            series_id        INTEGER PRIMARY KEY,
            run_rowid        INTEGER NOT NULL REFERENCES runs(run_rowid),
            key              TEXT NOT NULL,
            point_count      INTEGER NOT NULL,
            last_step        INTEGER NOT NULL,
            last_timestamp   INTEGER NOT NULL,
            last_value       REAL,            -- NULL when the latest value is NaN (SQLite stores NaN as NULL)
            last_is_nan      INTEGER NOT NULL DEFAULT 0,
            min_value        REAL,
            max_value        REAL,
            chunk_count      INTEGER NOT NULL DEFAULT 0,
            tail_points      INTEGER NOT NULL DEFAULT 0, -- points in the newest chunk, to decide merge vs. new chunk
            UNIQUE (run_rowid, key)
        );
        CREATE INDEX metric_series_key_value ON metric_series(key, last_value);
        CREATE TABLE metric_chunks (
            -- Keyed by one integer, (series_id << 32) | seq, not WITHOUT ROWID on (series_id, seq): scanning or seeking an
            -- index b-tree compares whole records, so every read would load every blob's overflow pages; a rowid range
            -- compares integers and reads only the columns asked for from each row's leaf-page part.
            chunk_id    INTEGER PRIMARY KEY,
            series_id   INTEGER NOT NULL REFERENCES metric_series(series_id),
            seq         INTEGER NOT NULL,
            point_count INTEGER NOT NULL,
            min_step    INTEGER NOT NULL,
            max_step    INTEGER NOT NULL,
            -- Per-sub-block step range, min/max, last (MetricSummaryCodec): 512-point blocks, then 64-point ones. They come
            -- before data so coarse bucket reads stop at the leaf page and never load the data's overflow pages.
            summary      BLOB NOT NULL,
            summary_fine BLOB NOT NULL,
            data        BLOB NOT NULL,
            CHECK (series_id BETWEEN 0 AND 2147483647 AND seq BETWEEN 0 AND 4294967295 AND chunk_id = (series_id << 32) | seq)
        );
        CREATE TABLE artifacts (
            run_rowid INTEGER NOT NULL REFERENCES runs(run_rowid),
            path      TEXT NOT NULL,
            size      INTEGER NOT NULL,
            sha256    TEXT NOT NULL,
            PRIMARY KEY (run_rowid, path)
        ) WITHOUT ROWID;
        CREATE TABLE run_files (
            run_rowid INTEGER NOT NULL REFERENCES runs(run_rowid),
            direction TEXT NOT NULL,          -- 'input' | 'output'
            path      TEXT NOT NULL,
            size      INTEGER NOT NULL,
            sha256    TEXT NOT NULL,
            PRIMARY KEY (run_rowid, direction, path)
        ) WITHOUT ROWID;
        CREATE INDEX run_files_sha ON run_files(sha256);
        CREATE TABLE applied_batches (
            run_rowid INTEGER NOT NULL REFERENCES runs(run_rowid),
            batch_key TEXT NOT NULL,
            PRIMARY KEY (run_rowid, batch_key)
        ) WITHOUT ROWID;
        INSERT INTO experiments (experiment_id, name, lifecycle_stage, creation_time, last_update_time)
            VALUES (0, 'Default', 'active', CAST(unixepoch('subsec') * 1000 AS INTEGER), CAST(unixepoch('subsec') * 1000 AS INTEGER));
        """,
        // 2: full-text search index kept by triggers, and the metric-key index used by hovers (see TextSearchSchema)
        TextSearchSchema.Migration,
        // 3: model deployments (see Deploy/DeploymentService); settings as JSON, never secrets
        """
        CREATE TABLE deployments (
            deployment_id TEXT PRIMARY KEY,
            run_id        TEXT NOT NULL,
            target        TEXT NOT NULL,
            name          TEXT NOT NULL,
            model_name    TEXT,
            model_version TEXT,
            status        TEXT NOT NULL,
            endpoint_url  TEXT,
            message       TEXT,
            created_at    INTEGER NOT NULL,
            updated_at    INTEGER NOT NULL,
            settings      TEXT NOT NULL,
            host_pid      INTEGER NOT NULL
        );
        CREATE INDEX deployments_run ON deployments(run_id, created_at);
        """,
        // 4: analytics — period queries scan a covering index by start time (no table lookups); stored reports
        // (their files live under .mltrack/reports/<report_id>/) and per-user preferences of the browser UI
        """
        CREATE INDEX runs_activity ON runs(start_time, lifecycle_stage, status, end_time, experiment_id, user_id);
        CREATE INDEX runs_user ON runs(user_id, start_time);
        CREATE TABLE reports (
            report_id     TEXT PRIMARY KEY,
            type          TEXT NOT NULL,
            title         TEXT NOT NULL,
            range_from    INTEGER NOT NULL,
            range_to      INTEGER NOT NULL,
            time_zone     TEXT NOT NULL,
            experiment_id TEXT,
            created_at    INTEGER NOT NULL,
            size_bytes    INTEGER NOT NULL,
            insights      INTEGER NOT NULL,
            params        TEXT NOT NULL
        );
        CREATE INDEX reports_created ON reports(created_at DESC);
        CREATE TABLE preferences (
            user_name  TEXT PRIMARY KEY,
            value      TEXT NOT NULL,
            updated_at INTEGER NOT NULL
        );
        """,
        // 5: active runs per experiment (experiments/list, the pickers) from a covering index: 100,000 runs 78 → ~5 ms
        """
        CREATE INDEX runs_experiment_stage ON runs(experiment_id, lifecycle_stage);
        """,
        // 6: the machine that hosts a local deployment's process, beside its pid (replicas on several machines)
        """
        ALTER TABLE deployments ADD COLUMN host_name TEXT;
        """,
        // 7: people on a team server (IAccountStore): users and their sign-in identities, access tokens (SHA-256 of the
        // secret only), teams and roles, whose each experiment is, and the audit log. Emails are stored lowercase.
        """
        CREATE TABLE users (
            user_id      TEXT PRIMARY KEY,
            email        TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            avatar_url   TEXT,
            is_admin     INTEGER NOT NULL,
            created_at   INTEGER NOT NULL
        );
        CREATE TABLE user_identities (
            provider TEXT NOT NULL,
            subject  TEXT NOT NULL,
            user_id  TEXT NOT NULL REFERENCES users(user_id),
            PRIMARY KEY (provider, subject)
        ) WITHOUT ROWID;
        CREATE TABLE access_tokens (
            token_id   TEXT PRIMARY KEY,
            user_id    TEXT NOT NULL REFERENCES users(user_id),
            name       TEXT NOT NULL,
            kind       TEXT NOT NULL,     -- 'personal' | 'run'
            hash       TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            expires_at INTEGER,
            revoked_at INTEGER,
            run_id     TEXT
        );
        CREATE INDEX access_tokens_user ON access_tokens(user_id, created_at);
        CREATE TABLE teams (
            team_id    TEXT PRIMARY KEY,
            name       TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE team_members (
            team_id TEXT NOT NULL REFERENCES teams(team_id),
            user_id TEXT NOT NULL REFERENCES users(user_id),
            role    TEXT NOT NULL,        -- 'viewer' | 'editor' | 'admin'
            PRIMARY KEY (team_id, user_id)
        ) WITHOUT ROWID;
        CREATE INDEX team_members_user ON team_members(user_id);
        CREATE TABLE experiment_owners (
            experiment_id TEXT PRIMARY KEY,
            team_id       TEXT REFERENCES teams(team_id),
            owner_user_id TEXT NOT NULL REFERENCES users(user_id)
        );
        CREATE TABLE audit_log (
            seq         INTEGER PRIMARY KEY AUTOINCREMENT,
            at          INTEGER NOT NULL,
            actor_id    TEXT NOT NULL,
            actor_email TEXT NOT NULL,
            action      TEXT NOT NULL,
            subject     TEXT NOT NULL,
            detail      TEXT,
            address     TEXT
        );
        CREATE INDEX audit_log_at ON audit_log(at);
        """,
        // 8: browser sessions and one-time email sign-in codes (IAccountStore), SHA-256 of their secrets only.
        """
        CREATE TABLE sessions (
            hash       TEXT PRIMARY KEY,
            user_id    TEXT NOT NULL REFERENCES users(user_id),
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            revoked_at INTEGER
        ) WITHOUT ROWID;
        CREATE INDEX sessions_user ON sessions(user_id);
        CREATE TABLE sign_in_codes (
            hash       TEXT PRIMARY KEY,
            email      TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            used_at    INTEGER
        ) WITHOUT ROWID;
        CREATE INDEX sign_in_codes_expires ON sign_in_codes(expires_at);
        """,
    ];
}
