-- Accounts, sessions, one-time links, sign-in throttling and site settings.
-- Ids are AUTOINCREMENT: a deleted session's id never names a new one.
-- Times are INTEGER unix milliseconds (UTC); booleans 0/1.

CREATE TABLE setting (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE account (
    id INTEGER PRIMARY KEY AUTOINCREMENT,    -- never reused: ids name sessions and events
    email TEXT NOT NULL UNIQUE,              -- stored lower-case
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,               -- lower-case, accents removed: search and sort
    role TEXT NOT NULL DEFAULT 'member'
        CHECK (role IN ('admin', 'animator', 'member', 'guest')),
    status TEXT NOT NULL DEFAULT 'active'
        CHECK (status IN ('invited', 'active', 'deactivated')),
    password_hash TEXT,                      -- argon2id string, NULL until set
    must_change_password INTEGER NOT NULL DEFAULT 0,
    lang TEXT NOT NULL DEFAULT 'fr',
    job TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    site TEXT NOT NULL DEFAULT '',
    created_ms INTEGER NOT NULL,
    last_login_ms INTEGER
);
CREATE INDEX account_name_folded ON account(name_folded, id);

CREATE TABLE session (
    id INTEGER PRIMARY KEY AUTOINCREMENT,    -- never reused: ids name sessions and events
    token_hash BLOB NOT NULL UNIQUE,         -- BLAKE2b of the token; the token is never stored
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    kind TEXT NOT NULL DEFAULT 'browser' CHECK (kind IN ('browser', 'api')),
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL
);
CREATE INDEX session_account ON session(account_id);

CREATE TABLE login_link (
    id INTEGER PRIMARY KEY AUTOINCREMENT,    -- never reused: ids name sessions and events
    token_hash BLOB NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    used_ms INTEGER
);
CREATE INDEX login_link_account ON login_link(account_id);

-- Failed sign-ins per key ("email:…" or "ip:…") in the current window.
CREATE TABLE login_failure (
    key TEXT PRIMARY KEY,
    window_start_ms INTEGER NOT NULL,
    count INTEGER NOT NULL
);
