/*
 * throttle.c - counting failed sign-ins per account and per address.
 *
 * A key ("email:…" or "ip:…") may fail a limited number of times within a
 * fixed window; after that it waits until the window ends.  Counters live
 * in the database so that every node of a cluster sees the same ones.
 */
#include "auth.h"
#include "../db/db.h"

int64_t auth_throttle_wait(struct db *db, const char *key, int limit)
{
    struct stmt *q = db_query(db, "SELECT window_start_ms, count FROM login_failure WHERE key = ?",
                              DB_TEXT(key));
    int64_t now = time_now_ms(), wait_s = 0;

    if (db_row(q)) {
        int64_t window_end = db_i64(q, 0) + AUTH_THROTTLE_WINDOW_MS;
        if (db_i64(q, 1) >= limit && window_end > now)
            wait_s = (window_end - now + 999) / 1000;
    }
    db_end(q);
    return wait_s;
}

void auth_throttle_fail(struct db *db, const char *key)
{
    int64_t now = time_now_ms();

    /* A window that has ended starts again at one failure. */
    db_exec(db,
            "INSERT INTO login_failure(key, window_start_ms, count) VALUES (?, ?, 1)"
            " ON CONFLICT(key) DO UPDATE SET"
            "   count = CASE WHEN login_failure.window_start_ms + ? <= ? THEN 1"
            "                ELSE login_failure.count + 1 END,"
            "   window_start_ms = CASE WHEN login_failure.window_start_ms + ? <= ? THEN ?"
            "                ELSE login_failure.window_start_ms END",
            DB_TEXT(key), DB_I64(now), DB_I64(AUTH_THROTTLE_WINDOW_MS), DB_I64(now),
            DB_I64(AUTH_THROTTLE_WINDOW_MS), DB_I64(now), DB_I64(now));
}

void auth_throttle_clear(struct db *db, const char *key)
{
    db_exec(db, "DELETE FROM login_failure WHERE key = ?", DB_TEXT(key));
}
