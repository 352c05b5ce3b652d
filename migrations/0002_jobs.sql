-- Background jobs: a queue shared by every node.  A node claims a due job
-- for a while (claimed_until_ms); if it dies, the claim expires and another
-- node runs the job again.  A failed attempt is retried later, with backoff,
-- until max_attempts.

CREATE TABLE job (
    id INTEGER PRIMARY KEY AUTOINCREMENT,    -- never reused: ids name sessions and events
    kind TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '',
    unique_key TEXT,                         -- at most one pending job per key
    run_after_ms INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 5,
    claimed_by TEXT,                         -- node that runs it now
    claimed_until_ms INTEGER,
    claim_ms INTEGER NOT NULL DEFAULT 300000,  -- how long a claim lasts: the job's longest run
    last_error TEXT,
    created_ms INTEGER NOT NULL,
    done_ms INTEGER,                         -- set when it succeeded or gave up
    done_by TEXT,
    failed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX job_due ON job(done_ms, run_after_ms);
CREATE UNIQUE INDEX job_pending_key ON job(unique_key) WHERE done_ms IS NULL;
