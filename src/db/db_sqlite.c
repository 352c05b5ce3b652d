/*
 * db_sqlite.c - the SQLite backend of db.h: connections, the prepared
 * statement cache, binding and stepping, transactions, and the pool.
 *
 * A struct db owns one sqlite3 connection opened NOMUTEX: one thread uses
 * a connection at a time, and the pool guarantees it.  Each connection
 * owns a cache of statements keyed by the address and length of their SQL
 * literal (literals never move), prepared with SQLITE_PREPARE_PERSISTENT
 * and kept until db_close().  When the cached statement of a literal is in
 * use (a nested query with the same SQL), a one-off statement is prepared
 * and db_end() finalizes it.
 *
 * Every statement between db_query() and db_end() sits on its connection's
 * live list, so one left behind is caught when the connection goes back to
 * the pool.  Text and blob arguments are bound SQLITE_STATIC: db.h makes
 * the caller keep them alive until db_end().
 *
 * The transaction counting and the pool (the last two sections) call the
 * backend only through tx_begin_backend() and friends and through
 * db_reset_session(): a PostgreSQL backend can take them as they are.
 *
 * Only this file calls sqlite3_*, with migrate.c going through
 * db_exec_script().  Long-lived state: the connections, their statement
 * caches and the pools, all released by db_close() and db_pool_close().
 */
#include "db_internal.h"
#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/log.h"

#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>

#define DB_BUSY_TIMEOUT_MS 5000
#define DB_CACHE_MIN 64 /* initial slots of a statement cache; a power of two */

struct stmt {
    sqlite3_stmt *handle; /* NULL after a failed prepare */
    struct db *db;
    const char *sql; /* the literal, NUL-terminated at sql_len; logged on failure */
    size_t sql_len;
    int rc;         /* first error met by prepare, bind or step; 0 if none */
    bool is_cached; /* owned by the cache: db_end() resets it, else finalizes and frees */
    bool is_static; /* db->oom_stmt, handed out when malloc fails; never freed */
    bool in_use;    /* between db_query() and db_end() */
    bool has_row;   /* the last db_row() returned true: columns can be read */
    bool is_done;   /* stepped to the end */
    struct stmt *live_prev, *live_next;
};

/* One slot of the statement cache; an empty slot has sql == NULL. */
struct cache_slot {
    const char *sql;
    size_t sql_len;
    struct stmt *stmt;
};

struct db {
    sqlite3 *handle;
    struct cache_slot *cache; /* open addressing, linear probing; cache_cap slots */
    size_t cache_cap;
    size_t cache_used;
    struct stmt *live; /* statements not yet given to db_end() */
    size_t live_count;
    int tx_depth;        /* nesting of db_tx_begin(); 0 outside a transaction */
    bool tx_doomed;      /* an inner rollback: the outermost commit rolls back */
    const char *tx_file; /* where the outermost db_tx_begin() was called */
    int tx_line;
    int64_t changes; /* rows changed by the last db_exec() */
    bool read_only;
    struct stmt oom_stmt; /* error statement for when a stmt cannot be allocated */
};

/*
 * ===== Errors =====
 */

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

    log_msg(level, "db", what, "sql", sql, "error", sqlite3_errmsg(db->handle), "code",
            err_name(rc), NULL);
    return rc;
}

/*
 * ===== Statement cache =====
 */

static size_t cache_hash(const char *sql, size_t sql_len)
{
    uint64_t h = (uint64_t)(uintptr_t)sql ^ ((uint64_t)sql_len << 40);

    h *= UINT64_C(0x9E3779B97F4A7C15); /* Fibonacci hashing: the high bits are well mixed */
    return (size_t)(h >> 32);
}

static struct stmt *cache_lookup(struct db *db, const char *sql, size_t sql_len)
{
    size_t mask = db->cache_cap - 1;

    if (db->cache_cap == 0)
        return NULL;
    for (size_t i = cache_hash(sql, sql_len) & mask; db->cache[i].sql; i = (i + 1) & mask)
        if (db->cache[i].sql == sql && db->cache[i].sql_len == sql_len)
            return db->cache[i].stmt;
    return NULL;
}

static void cache_put(struct cache_slot *slots, size_t cap, struct stmt *q)
{
    size_t i = cache_hash(q->sql, q->sql_len) & (cap - 1);

    while (slots[i].sql)
        i = (i + 1) & (cap - 1);
    slots[i] = (struct cache_slot){.sql = q->sql, .sql_len = q->sql_len, .stmt = q};
}

/* Add q to the cache, growing it past 3/4 load; false if memory ran out. */
static bool cache_add(struct db *db, struct stmt *q)
{
    if ((db->cache_used + 1) * 4 > db->cache_cap * 3) {
        size_t cap = db->cache_cap ? db->cache_cap * 2 : DB_CACHE_MIN;
        struct cache_slot *slots = calloc(cap, sizeof(*slots));

        if (!slots)
            return false;
        for (size_t i = 0; i < db->cache_cap; i++)
            if (db->cache[i].sql)
                cache_put(slots, cap, db->cache[i].stmt);
        free(db->cache);
        db->cache = slots;
        db->cache_cap = cap;
    }
    cache_put(db->cache, db->cache_cap, q);
    db->cache_used++;
    return true;
}

/*
 * ===== Statements =====
 */

static void live_add(struct db *db, struct stmt *q)
{
    q->live_prev = NULL;
    q->live_next = db->live;
    if (db->live)
        db->live->live_prev = q;
    db->live = q;
    db->live_count++;
}

static void live_remove(struct db *db, struct stmt *q)
{
    if (q->live_prev)
        q->live_prev->live_next = q->live_next;
    else
        db->live = q->live_next;
    if (q->live_next)
        q->live_next->live_prev = q->live_prev;
    q->live_prev = q->live_next = NULL;
    db->live_count--;
}

/*
 * Prepare sql into a new statement.  A prepare error is kept in q->rc with
 * q->handle NULL; a failed malloc gives the connection's static error
 * statement.  SQL holding more than one statement, or none, is a BUG().
 */
static struct stmt *stmt_new(struct db *db, const char *sql, size_t sql_len, bool persistent)
{
    struct stmt *q = calloc(1, sizeof(*q));
    const char *tail = NULL;
    int rc;

    if (!q) {
        log_msg(LOG_ERROR, "db", "out of memory for a statement", "sql", sql, NULL);
        return &db->oom_stmt;
    }
    if (sql_len >= INT_MAX)
        BUG("SQL of %zu bytes", sql_len);
    q->db = db;
    q->sql = sql;
    q->sql_len = sql_len;
    /* sql_len + 1 includes the literal's NUL, which spares SQLite a copy. */
    rc = sqlite3_prepare_v3(db->handle, sql, (int)sql_len + 1,
                            persistent ? SQLITE_PREPARE_PERSISTENT : 0, &q->handle, &tail);
    if (rc != SQLITE_OK) {
        q->rc = report(db, sql, rc, "prepare failed");
        q->handle = NULL;
        return q;
    }
    if (!q->handle)
        BUG("no statement in SQL \"%s\"", sql);
    if (tail && *tail) {
        sqlite3_stmt *extra = NULL;

        /* Whitespace and comments prepare to nothing; anything else is a second statement. */
        rc = sqlite3_prepare_v3(db->handle, tail, -1, 0, &extra, NULL);
        sqlite3_finalize(extra);
        if (rc != SQLITE_OK || extra)
            BUG("more than one statement in SQL \"%s\"", sql);
    }
    q->is_cached = persistent;
    return q;
}

/* Bind args to q; a count that differs from the placeholders is a BUG(). */
static void stmt_bind(struct stmt *q, const struct db_arg *args, size_t nargs)
{
    int want = sqlite3_bind_parameter_count(q->handle);

    if ((size_t)want != nargs)
        BUG("%zu arguments for %d placeholders in SQL \"%s\"", nargs, want, q->sql);
    for (size_t i = 0; i < nargs; i++) {
        const struct db_arg *arg = &args[i];
        int col = (int)i + 1;
        int rc;

        switch (arg->type) {
        case DB_ARG_NULL:
            rc = sqlite3_bind_null(q->handle, col);
            break;
        case DB_ARG_I64:
            rc = sqlite3_bind_int64(q->handle, col, arg->i);
            break;
        case DB_ARG_TEXT:
            if (!arg->p)
                rc = sqlite3_bind_null(q->handle, col);
            else
                rc = sqlite3_bind_text64(q->handle, col, arg->p,
                                         arg->n == SIZE_MAX ? strlen(arg->p) : arg->n,
                                         SQLITE_STATIC, SQLITE_UTF8);
            break;
        case DB_ARG_BLOB:
            /* A NULL pointer binds NULL, as sqlite3_bind_blob64() documents. */
            rc = sqlite3_bind_blob64(q->handle, col, arg->p, arg->n, SQLITE_STATIC);
            break;
        default:
            BUG("argument %d of type %d in SQL \"%s\"", col, (int)arg->type, q->sql);
        }
        if (rc != SQLITE_OK) {
            q->rc = report(q->db, q->sql, rc, "bind failed");
            return;
        }
    }
}

struct stmt *db_query_(struct db *db, const char *sql, size_t sql_len, const struct db_arg *args,
                       size_t nargs)
{
    struct stmt *q = cache_lookup(db, sql, sql_len);

    if (!q) {
        q = stmt_new(db, sql, sql_len, true);
        if (q->is_cached && !cache_add(db, q))
            q->is_cached = false; /* no room in the cache: finalized by db_end() */
    } else if (q->in_use) {
        q = stmt_new(db, sql, sql_len, false); /* nested use of the same SQL */
    }
    if (q->is_static)
        return q;
    q->in_use = true;
    live_add(db, q);
    if (q->handle)
        stmt_bind(q, args, nargs);
    return q;
}

bool db_row(struct stmt *q)
{
    int rc;

    if (!q->in_use)
        BUG("db_row() after db_end() on SQL \"%s\"", q->sql);
    q->has_row = false;
    if (q->rc < 0 || q->is_done || !q->handle)
        return false;
    rc = sqlite3_step(q->handle);
    if (rc == SQLITE_ROW) {
        q->has_row = true;
        return true;
    }
    if (rc == SQLITE_DONE)
        q->is_done = true;
    else
        q->rc = report(q->db, q->sql, rc, "statement failed");
    return false;
}

/* The statement handle for reading column col, which must exist on a current row. */
static sqlite3_stmt *column_handle(struct stmt *q, int col)
{
    if (!q->has_row)
        BUG("column %d read without a row in SQL \"%s\"", col, q->sql);
    if (col < 0 || col >= sqlite3_column_count(q->handle))
        BUG("column %d out of range in SQL \"%s\"", col, q->sql);
    return q->handle;
}

int64_t db_i64(struct stmt *q, int col)
{
    return sqlite3_column_int64(column_handle(q, col), col);
}

const char *db_text(struct stmt *q, int col)
{
    const unsigned char *text = sqlite3_column_text(column_handle(q, col), col);

    return text ? (const char *)text : "";
}

bool db_is_null(struct stmt *q, int col)
{
    return sqlite3_column_type(column_handle(q, col), col) == SQLITE_NULL;
}

const void *db_blob(struct stmt *q, int col, size_t *len)
{
    sqlite3_stmt *handle = column_handle(q, col);
    const void *data = sqlite3_column_blob(handle, col);

    *len = (size_t)sqlite3_column_bytes(handle, col);
    return data;
}

int db_end(struct stmt *q)
{
    int rc = q->rc;

    if (q->is_static)
        return rc;
    if (!q->in_use)
        BUG("db_end() twice on SQL \"%s\"", q->sql);
    live_remove(q->db, q);
    if (q->is_cached) {
        sqlite3_reset(q->handle); /* its error, if any, is in q->rc already */
        sqlite3_clear_bindings(q->handle);
        q->rc = 0;
        q->in_use = q->has_row = q->is_done = false;
    } else {
        sqlite3_finalize(q->handle);
        free(q);
    }
    return rc;
}

int db_exec_(struct db *db, const char *sql, size_t sql_len, const struct db_arg *args,
             size_t nargs)
{
    struct stmt *q = db_query_(db, sql, sql_len, args, nargs);

    while (db_row(q))
        ;
    if (q->rc == 0)
        db->changes = sqlite3_changes64(db->handle);
    return db_end(q);
}

int db_get_i64_(struct db *db, int64_t *out, const char *sql, size_t sql_len,
                const struct db_arg *args, size_t nargs)
{
    struct stmt *q = db_query_(db, sql, sql_len, args, nargs);
    bool found = db_row(q);
    int rc;

    if (found)
        *out = db_i64(q, 0);
    rc = db_end(q);
    if (rc < 0)
        return rc;
    return found ? 0 : ERR_NOTFOUND;
}

int db_get_text_(struct db *db, struct arena *a, char **out, const char *sql, size_t sql_len,
                 const struct db_arg *args, size_t nargs)
{
    struct stmt *q = db_query_(db, sql, sql_len, args, nargs);
    bool found = db_row(q);
    int rc;

    if (found) {
        sqlite3_stmt *handle = column_handle(q, 0);
        const unsigned char *text = sqlite3_column_text(handle, 0);

        /* sqlite3_column_bytes() after sqlite3_column_text(): the length of the UTF-8 form. */
        *out = text ? arena_strndup(a, (const char *)text, (size_t)sqlite3_column_bytes(handle, 0))
                    : NULL;
    }
    rc = db_end(q);
    if (rc < 0)
        return rc;
    return found ? 0 : ERR_NOTFOUND;
}

int64_t db_changes(struct db *db)
{
    return db->changes;
}

int64_t db_last_id(struct db *db)
{
    return sqlite3_last_insert_rowid(db->handle);
}

int db_set_read_only(struct db *db, bool read_only)
{
    int rc =
        read_only ? db_exec(db, "PRAGMA query_only = ON") : db_exec(db, "PRAGMA query_only = OFF");

    if (rc == 0)
        db->read_only = read_only;
    return rc;
}

int db_exec_script(struct db *db, const char *script)
{
    char *message = NULL;
    int rc = sqlite3_exec(db->handle, script, NULL, NULL, &message);

    if (rc != SQLITE_OK) {
        int err = err_from_sqlite(rc);

        log_msg(LOG_ERROR, "db", "script failed", "error", message ? message : sqlite3_errstr(rc),
                "code", err_name(err), NULL);
        sqlite3_free(message);
        return err;
    }
    return 0;
}

size_t db_live_count(struct db *db)
{
    return db->live_count;
}

const void *db_stmt_handle(struct stmt *q)
{
    return q->handle;
}

/*
 * ===== Opening and closing =====
 */

int db_open(const char *path, struct db **out)
{
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    struct db *db = calloc(1, sizeof(*db));
    struct stmt *q;
    int rc;

    *out = NULL;
    if (!db)
        return ERR_NOMEM;
    db->oom_stmt = (struct stmt){.db = db,
                                 .sql = "(no memory for a statement)",
                                 .rc = ERR_NOMEM,
                                 .is_static = true,
                                 .in_use = true};
    rc = sqlite3_open_v2(path, &db->handle, flags, NULL);
    if (rc != SQLITE_OK) {
        log_msg(LOG_ERROR, "db", "cannot open database", "path", path, "error",
                db->handle ? sqlite3_errmsg(db->handle) : sqlite3_errstr(rc), NULL);
        sqlite3_close(db->handle);
        free(db);
        return (rc & 0xff) == SQLITE_CANTOPEN ? ERR_IO : err_from_sqlite(rc);
    }
    sqlite3_extended_result_codes(db->handle, 1);
    /* Strings in double quotes are identifiers, as in PostgreSQL. */
    sqlite3_db_config(db->handle, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
    sqlite3_db_config(db->handle, SQLITE_DBCONFIG_DQS_DDL, 0, NULL);
    sqlite3_db_config(db->handle, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);

    /* The busy timeout first (PRAGMA busy_timeout): switching to WAL may wait for a lock. */
    sqlite3_busy_timeout(db->handle, DB_BUSY_TIMEOUT_MS);
    q = db_query(db, "PRAGMA journal_mode = WAL");
    if (db_row(q) && strcmp(db_text(q, 0), "wal") != 0)
        log_msg(LOG_WARN, "db", "database not in WAL mode", "path", path, "journal_mode",
                db_text(q, 0), NULL);
    rc = db_end(q);
    if (rc == 0)
        rc = db_exec(db, "PRAGMA foreign_keys = ON");
    if (rc == 0)
        rc = db_exec(db, "PRAGMA synchronous = NORMAL");
    if (rc < 0) {
        db_close(db);
        return rc;
    }
    *out = db;
    return 0;
}

void db_close(struct db *db)
{
    int rc;

    if (!db)
        return;
    db_reset_session(db);
    for (size_t i = 0; i < db->cache_cap; i++) {
        if (db->cache[i].sql) {
            sqlite3_finalize(db->cache[i].stmt->handle);
            free(db->cache[i].stmt);
        }
    }
    free(db->cache);
    rc = sqlite3_close(db->handle);
    if (rc != SQLITE_OK)
        log_msg(LOG_ERROR, "db", "cannot close database", "error", sqlite3_errstr(rc), NULL);
    free(db);
}

/*
 * ===== Transactions =====
 *
 * The counting below is backend-neutral; the three functions just after
 * this banner are what a backend provides.
 */

static int tx_begin_backend(struct db *db)
{
    /*
     * IMMEDIATE takes the write lock now, so two writers never deadlock
     * upgrading read locks.  query_only refuses it: a read-only connection
     * takes a plain snapshot.
     */
    if (db->read_only)
        return db_exec(db, "BEGIN");
    return db_exec(db, "BEGIN IMMEDIATE");
}

static int tx_commit_backend(struct db *db)
{
    return db_exec(db, "COMMIT");
}

/* Roll back if the backend still has a transaction open (an error may have ended it). */
static void tx_rollback_backend(struct db *db)
{
    if (!sqlite3_get_autocommit(db->handle))
        db_exec(db, "ROLLBACK");
}

static bool tx_is_open_backend(struct db *db)
{
    return !sqlite3_get_autocommit(db->handle);
}

/* A warning naming where the outermost transaction began. */
static void log_tx(struct db *db, const char *msg)
{
    struct buf origin = BUF_INIT;

    buf_addf(&origin, "%s:%d", db->tx_file, db->tx_line);
    log_msg(LOG_WARN, "db", msg, "begun", origin.s, NULL);
    buf_release(&origin);
}

int db_tx_begin_(struct db *db, const char *file, int line)
{
    if (db->tx_depth == 0) {
        int rc = tx_begin_backend(db);

        if (rc < 0)
            return rc;
        db->tx_file = file;
        db->tx_line = line;
        db->tx_doomed = false;
    }
    db->tx_depth++;
    return 0;
}

int db_tx_commit(struct db *db)
{
    int rc;

    if (db->tx_depth <= 0)
        BUG("db_tx_commit() without a transaction");
    if (--db->tx_depth > 0)
        return 0;
    if (db->tx_doomed) {
        log_tx(db, "commit refused: an inner rollback doomed the transaction");
        tx_rollback_backend(db);
        db->tx_doomed = false;
        return ERR_DB;
    }
    if (!tx_is_open_backend(db)) {
        log_msg(LOG_ERROR, "db", "transaction ended by an error before commit", NULL);
        return ERR_DB;
    }
    rc = tx_commit_backend(db);
    if (rc < 0)
        tx_rollback_backend(db);
    return rc;
}

void db_tx_rollback(struct db *db)
{
    if (db->tx_depth <= 0)
        BUG("db_tx_rollback() without a transaction");
    if (--db->tx_depth > 0) {
        db->tx_doomed = true;
        return;
    }
    tx_rollback_backend(db);
    db->tx_doomed = false;
}

void db_reset_session(struct db *db)
{
    if (db->live_count > 0) {
#ifndef NDEBUG
        BUG("%zu statement(s) not given to db_end(), one with SQL \"%s\"", db->live_count,
            db->live->sql);
#endif
        while (db->live) {
            log_msg(LOG_ERROR, "db", "statement not ended", "sql", db->live->sql, NULL);
            db_end(db->live);
        }
    }
    if (db->tx_depth > 0) {
        log_tx(db, "transaction left open, rolled back");
        db->tx_depth = 1;
        db_tx_rollback(db);
    }
    if (db->read_only)
        db_set_read_only(db, false);
}

/*
 * ===== Pool =====
 *
 * Backend-neutral: only db_open(), db_close() and db_reset_session().
 */

struct db_pool {
    pthread_mutex_t lock;
    pthread_cond_t available; /* signalled when a connection comes back */
    unsigned size;
    unsigned idle_count;
    struct db **all;  /* every connection, for checks and close */
    struct db **idle; /* stack of the connections not borrowed */
};

int db_pool_open(const char *path, unsigned size, struct db_pool **out)
{
    struct db_pool *pool;
    int rc;

    *out = NULL;
    if (size == 0) {
        log_msg(LOG_ERROR, "db", "a pool needs at least one connection", NULL);
        return ERR_INVALID;
    }
    pool = calloc(1, sizeof(*pool));
    if (!pool)
        return ERR_NOMEM;
    pool->all = calloc(size, sizeof(*pool->all));
    pool->idle = calloc(size, sizeof(*pool->idle));
    if (!pool->all || !pool->idle || pthread_mutex_init(&pool->lock, NULL) != 0) {
        free(pool->all);
        free(pool->idle);
        free(pool);
        return ERR_NOMEM;
    }
    if (pthread_cond_init(&pool->available, NULL) != 0) {
        pthread_mutex_destroy(&pool->lock);
        free(pool->all);
        free(pool->idle);
        free(pool);
        return ERR_NOMEM;
    }
    for (unsigned i = 0; i < size; i++) {
        rc = db_open(path, &pool->all[i]);
        if (rc < 0) {
            pool->size = pool->idle_count = i;
            memcpy(pool->idle, pool->all, i * sizeof(*pool->all));
            db_pool_close(pool);
            return rc;
        }
        pool->idle[i] = pool->all[i];
    }
    pool->size = pool->idle_count = size;
    *out = pool;
    return 0;
}

struct db *db_pool_acquire(struct db_pool *pool)
{
    struct db *db;

    pthread_mutex_lock(&pool->lock);
    while (pool->idle_count == 0)
        pthread_cond_wait(&pool->available, &pool->lock);
    db = pool->idle[--pool->idle_count];
    pthread_mutex_unlock(&pool->lock);
    return db;
}

void db_pool_release(struct db_pool *pool, struct db *db)
{
    bool is_member = false;

    db_reset_session(db);
    pthread_mutex_lock(&pool->lock);
    for (unsigned i = 0; i < pool->size; i++)
        is_member |= pool->all[i] == db;
    if (!is_member)
        BUG("connection released to a pool it does not belong to");
    for (unsigned i = 0; i < pool->idle_count; i++)
        if (pool->idle[i] == db)
            BUG("connection released twice");
    pool->idle[pool->idle_count++] = db;
    pthread_cond_signal(&pool->available);
    pthread_mutex_unlock(&pool->lock);
}

void db_pool_close(struct db_pool *pool)
{
    if (!pool)
        return;
    if (pool->idle_count != pool->size)
        BUG("db_pool_close() with %u connection(s) borrowed", pool->size - pool->idle_count);
    for (unsigned i = 0; i < pool->size; i++)
        db_close(pool->all[i]);
    pthread_cond_destroy(&pool->available);
    pthread_mutex_destroy(&pool->lock);
    free(pool->all);
    free(pool->idle);
    free(pool);
}
