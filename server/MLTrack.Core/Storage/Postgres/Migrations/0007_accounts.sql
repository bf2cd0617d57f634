-- 7: people on a team server (IAccountStore), as SQLite's migration 7: users and their sign-in identities, access
-- tokens (SHA-256 of the secret only), teams and roles, whose each experiment is, and the audit log. Emails are stored
-- lowercase; text that is compared or sorted is COLLATE "C" so both stores list in the same (byte) order.

CREATE TABLE users (
    user_id      text COLLATE "C" PRIMARY KEY,
    email        text COLLATE "C" NOT NULL UNIQUE,
    display_name text NOT NULL,
    avatar_url   text,
    is_admin     boolean NOT NULL,
    created_at   bigint NOT NULL
);

CREATE TABLE user_identities (
    provider text COLLATE "C" NOT NULL,
    subject  text COLLATE "C" NOT NULL,
    user_id  text COLLATE "C" NOT NULL REFERENCES users (user_id),
    PRIMARY KEY (provider, subject)
);

CREATE TABLE access_tokens (
    token_id   text COLLATE "C" PRIMARY KEY,
    user_id    text COLLATE "C" NOT NULL REFERENCES users (user_id),
    name       text NOT NULL,
    -- 'personal' | 'run'
    kind       text COLLATE "C" NOT NULL,
    hash       text COLLATE "C" NOT NULL UNIQUE,
    created_at bigint NOT NULL,
    expires_at bigint,
    revoked_at bigint,
    run_id     text COLLATE "C"
);
CREATE INDEX access_tokens_user ON access_tokens (user_id, created_at);

CREATE TABLE teams (
    team_id    text COLLATE "C" PRIMARY KEY,
    name       text COLLATE "C" NOT NULL UNIQUE,
    created_at bigint NOT NULL
);

CREATE TABLE team_members (
    team_id text COLLATE "C" NOT NULL REFERENCES teams (team_id),
    user_id text COLLATE "C" NOT NULL REFERENCES users (user_id),
    -- 'viewer' | 'editor' | 'admin'
    role    text COLLATE "C" NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

CREATE TABLE experiment_owners (
    experiment_id text COLLATE "C" PRIMARY KEY,
    team_id       text COLLATE "C" REFERENCES teams (team_id),
    owner_user_id text COLLATE "C" NOT NULL REFERENCES users (user_id)
);

CREATE TABLE audit_log (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          bigint NOT NULL,
    actor_id    text COLLATE "C" NOT NULL,
    actor_email text COLLATE "C" NOT NULL,
    action      text COLLATE "C" NOT NULL,
    subject     text NOT NULL,
    detail      text,
    address     text
);
CREATE INDEX audit_log_at ON audit_log (at);
