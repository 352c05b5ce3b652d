-- Live events: what the SSE streams of every node deliver.  A node learns
-- of new rows through NOTIFY (PostgreSQL) or its own bus (SQLite) and reads
-- them here, so an event is not lost when a node missed a notification;
-- Last-Event-ID resumes from this table too.  Rows older than a day are
-- deleted by the hourly upkeep.

CREATE TABLE live_event (
    id INTEGER PRIMARY KEY AUTOINCREMENT,    -- never reused: ids name sessions and events
    kind TEXT NOT NULL,
    member_id INTEGER NOT NULL DEFAULT 0,    -- audience: one member, or 0 for every member
    session_id INTEGER NOT NULL DEFAULT 0,   -- the session a "session.ended" is about
    payload TEXT NOT NULL DEFAULT '{}',      -- JSON
    created_ms INTEGER NOT NULL
);
CREATE INDEX live_event_member ON live_event(member_id, id);
CREATE INDEX live_event_created ON live_event(created_ms);
