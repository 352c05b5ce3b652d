/*
 * db_sqlite.c - the SQLite backend of db.h (the embedded default).
 *
 * A struct db owns one sqlite3 connection opened NOMUTEX: one thread uses
 * a connection at a time, and the pool guarantees it.  Connections run in
 * WAL mode with foreign keys and a busy timeout; write transactions are
 * BEGIN IMMEDIATE so two writers never deadlock upgrading read locks.
 * Cached statements are prepared with SQLITE_PREPARE_PERSISTENT.  Text and
 * blob arguments are bound SQLITE_STATIC: db.h makes the caller keep them
 * alive until db_end().
 *
 * Only this file calls sqlite3_*.  It owns no state beyond its
 * connections, which db.c opens and closes.
 */
#include "db_internal.h"
#include "../core/log.h"

#include <limits.h>
#include <sqlite3.h>

#define DB_BUSY_TIMEOUT_MS 5000

static sqlite3 *conn_of(struct db *db)
{
    return db->conn;
}

static sqlite3_stmt *handle_of(struct stmt *q)
{
    return q->handle;
}

/* The Ruche error code for an SQLite result code (extended codes are on). */
static int err_from_sqlite(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ERR_BUSY;
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            return ERR_EXISTS;
        return ERR_DB;
    default:
        return ERR_DB;
    }
}

/*
 * Log a failed call with its SQL and return the error code.  A unique
 * constraint is an answer rather than a failure, so it is only a debug line.
 */
static int report(struct db *db, const char *sql, int sqlite_rc, const char *what)
{
    int rc = err_from_sqlite(sqlite_rc);
    enum log_level level = rc == ERR_EXISTS ? LOG_DEBUG : rc == ERR_BUSY ? LOG_WARN : LOG_ERROR;

    log_msg(level, "db", what, "sql", sql, "error", sqlite3_errmsg(conn_of(db)), "code",
            err_name(rc), NULL);
    return rc;
}

/* SQL holding more than one statement, or none, is a BUG(). */
static int sqlite_prepare(struct stmt *q, bool persistent)
{
    sqlite3_stmt *handle = NULL;
    const char *tail = NULL;
    int rc;

    if (q->sql_len >= INT_MAX)
        BUG("SQL of %zu bytes", q->sql_len);
    /* sql_len + 1 includes the literal's NUL, which spares SQLite a copy. */
    rc = sqlite3_prepare_v3(conn_of(q->db), q->sql, (int)q->sql_len + 1,
                            persistent ? SQLITE_PREPARE_PERSISTENT : 0, &handle, &tail);
    if (rc != SQLITE_OK)
        return report(q->db, q->sql, rc, "prepare failed");
    if (!handle)
        BUG("no statement in SQL \"%s\"", q->sql);
    if (tail && *tail) {
        sqlite3_stmt *extra = NULL;

        /* Whitespace and comments prepare to nothing; anything else is a second statement. */
        rc = sqlite3_prepare_v3(conn_of(q->db), tail, -1, 0, &extra, NULL);
        sqlite3_finalize(extra);
        if (rc != SQLITE_OK || extra)
            BUG("more than one statement in SQL \"%s\"", q->sql);
    }
    q->handle = handle;
    return 0;
}

static void sqlite_finalize(struct stmt *q)
{
    sqlite3_finalize(handle_of(q));
    q->handle = NULL;
}

static int sqlite_bind(struct stmt *q, const struct db_arg *args, size_t nargs)
{
    sqlite3_stmt *handle = handle_of(q);
    int want = sqlite3_bind_parameter_count(handle);

    if ((size_t)want != nargs)
        BUG("%zu arguments for %d placeholders in SQL \"%s\"", nargs, want, q->sql);
    for (size_t i = 0; i < nargs; i++) {
        const struct db_arg *arg = &args[i];
        int col = (int)i + 1;
        int rc;

        switch (arg->type) {
        case DB_ARG_NULL:
            rc = sqlite3_bind_null(handle, col);
            break;
        case DB_ARG_I64:
            rc = sqlite3_bind_int64(handle, col, arg->i);
            break;
        case DB_ARG_TEXT:
            if (!arg->p)
                rc = sqlite3_bind_null(handle, col);
            else
                rc = sqlite3_bind_text64(handle, col, arg->p,
                                         arg->n == SIZE_MAX ? strlen(arg->p) : arg->n,
                                         SQLITE_STATIC, SQLITE_UTF8);
            break;
        case DB_ARG_BLOB:
            /* A NULL pointer binds NULL, as sqlite3_bind_blob64() documents. */
            rc = sqlite3_bind_blob64(handle, col, arg->p, arg->n, SQLITE_STATIC);
            break;
        default:
            BUG("argument %d of type %d in SQL \"%s\"", col, (int)arg->type, q->sql);
        }
        if (rc != SQLITE_OK)
            return report(q->db, q->sql, rc, "bind failed");
    }
    return 0;
}

static int sqlite_step(struct stmt *q)
{
    int rc = sqlite3_step(handle_of(q));

    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    return report(q->db, q->sql, rc, "statement failed");
}

static void sqlite_reset(struct stmt *q)
{
    sqlite3_reset(handle_of(q));
    sqlite3_clear_bindings(handle_of(q));
}

static int sqlite_column_count(struct stmt *q)
{
    return sqlite3_column_count(handle_of(q));
}

static int64_t sqlite_column_i64(struct stmt *q, int col)
{
    return sqlite3_column_int64(handle_of(q), col);
}

static const char *sqlite_column_text(struct stmt *q, int col, size_t *len)
{
    const unsigned char *text = sqlite3_column_text(handle_of(q), col);

    /* sqlite3_column_bytes() after sqlite3_column_text(): the length of the UTF-8 form. */
    *len = text ? (size_t)sqlite3_column_bytes(handle_of(q), col) : 0;
    return (const char *)text;
}

static const void *sqlite_column_blob(struct stmt *q, int col, size_t *len)
{
    const void *data = sqlite3_column_blob(handle_of(q), col);

    *len = (size_t)sqlite3_column_bytes(handle_of(q), col);
    return data;
}

static int64_t sqlite_changes(struct stmt *q)
{
    return sqlite3_changes64(conn_of(q->db));
}

static int sqlite_exec_script(struct db *db, const char *script)
{
    char *message = NULL;
    int rc = sqlite3_exec(conn_of(db), script, NULL, NULL, &message);

    if (rc != SQLITE_OK) {
        int err = err_from_sqlite(rc);

        log_msg(LOG_ERROR, "db", "script failed", "error", message ? message : sqlite3_errstr(rc),
                "code", err_name(err), NULL);
        sqlite3_free(message);
        return err;
    }
    return 0;
}

static int sqlite_tx_begin(struct db *db)
{
    /* A read-only connection takes a plain snapshot, without the write lock. */
    if (db->read_only)
        return db_exec(db, "BEGIN");
    return db_exec(db, "BEGIN IMMEDIATE");
}

static int sqlite_tx_state(struct db *db)
{
    return sqlite3_get_autocommit(conn_of(db)) ? DB_TX_IDLE : DB_TX_OPEN;
}

static bool sqlite_is_read_only(struct stmt *q)
{
    return sqlite3_stmt_readonly(handle_of(q)) != 0;
}

static void sqlite_check(struct db *db)
{
    (void)db; /* an embedded database cannot be lost */
}

static int sqlite_notify(struct db *db, const char *channel)
{
    (void)db; /* one process: its own bus is woken directly */
    (void)channel;
    return 0;
}

static int sqlite_open(struct db *db, const char *path)
{
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    sqlite3 *handle = NULL;
    struct stmt *q;
    int rc = sqlite3_open_v2(path, &handle, flags, NULL);

    if (rc != SQLITE_OK) {
        log_msg(LOG_ERROR, "db", "cannot open database", "path", path, "error",
                handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc), NULL);
        sqlite3_close(handle);
        return (rc & 0xff) == SQLITE_CANTOPEN ? ERR_IO : err_from_sqlite(rc);
    }
    db->conn = handle;
    sqlite3_extended_result_codes(handle, 1);
    /* Strings in double quotes are identifiers, as in PostgreSQL. */
    sqlite3_db_config(handle, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
    sqlite3_db_config(handle, SQLITE_DBCONFIG_DQS_DDL, 0, NULL);
    sqlite3_db_config(handle, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);

    /* The busy timeout first: switching to WAL may wait for a lock. */
    sqlite3_busy_timeout(handle, DB_BUSY_TIMEOUT_MS);
    q = db_query(db, "PRAGMA journal_mode = WAL");
    if (db_row(q) && strcmp(db_text(q, 0), "wal") != 0)
        log_msg(LOG_WARN, "db", "database not in WAL mode", "path", path, "journal_mode",
                db_text(q, 0), NULL);
    rc = db_end(q);
    if (rc == 0)
        rc = db_exec(db, "PRAGMA foreign_keys = ON");
    if (rc == 0)
        rc = db_exec(db, "PRAGMA synchronous = NORMAL");
    /* Reads map the file (shared by every connection) rather than copy it into each one's small
     * page cache: the home feed of a large instance spent a sixth of its time in pread. */
    if (rc == 0)
        rc = db_exec(db, "PRAGMA mmap_size = 1073741824");
    if (rc < 0) {
        db_cache_clear(db);
        sqlite3_close(handle);
        db->conn = NULL;
    }
    return rc;
}

static void sqlite_close(struct db *db)
{
    int rc = sqlite3_close(conn_of(db));

    if (rc != SQLITE_OK)
        log_msg(LOG_ERROR, "db", "cannot close database", "error", sqlite3_errstr(rc), NULL);
    db->conn = NULL;
}

const struct db_backend db_sqlite_backend = {
    .name = "sqlite",
    .open = sqlite_open,
    .close = sqlite_close,
    .prepare = sqlite_prepare,
    .finalize = sqlite_finalize,
    .bind = sqlite_bind,
    .step = sqlite_step,
    .reset = sqlite_reset,
    .column_count = sqlite_column_count,
    .column_i64 = sqlite_column_i64,
    .column_text = sqlite_column_text,
    .column_blob = sqlite_column_blob,
    .changes = sqlite_changes,
    .exec_script = sqlite_exec_script,
    .tx_begin = sqlite_tx_begin,
    .tx_state = sqlite_tx_state,
    .is_read_only = sqlite_is_read_only,
    .check = sqlite_check,
    .notify = sqlite_notify,
};
