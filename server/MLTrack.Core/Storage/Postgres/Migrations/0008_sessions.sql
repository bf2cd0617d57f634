-- 8: browser sessions and one-time email sign-in codes (IAccountStore), as SQLite's migration 8: SHA-256 of their
-- secrets only.

CREATE TABLE sessions (
    hash       text COLLATE "C" PRIMARY KEY,
    user_id    text COLLATE "C" NOT NULL REFERENCES users (user_id),
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    revoked_at bigint
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE sign_in_codes (
    hash       text COLLATE "C" PRIMARY KEY,
    email      text COLLATE "C" NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    used_at    bigint
);
CREATE INDEX sign_in_codes_expires ON sign_in_codes (expires_at);
