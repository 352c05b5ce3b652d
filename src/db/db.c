/*
 * db.c - the backend-neutral half of db.h: the statement cache, the list
 * of live statements, column access checks, transactions and the pool.
 *
 * Each connection owns a cache of statements keyed by the address and
 * length of their SQL literal (literals never move), prepared once and
 * kept until db_close().  When the cached statement of a literal is in use
 * (a nested query with the same SQL), a one-off statement is prepared and
 * db_end() finalizes it.  Every statement between db_query() and db_end()
 * sits on its connection's live list, so one left behind is caught when
 * the connection goes back to the pool.
 *
 * The backend (db_sqlite.c or db_pg.c) is chosen by db_open() from the
 * target: a file path, or a postgresql:// URL.  Long-lived state: the
 * connections, their caches and the pools, released by db_close() and
 * db_pool_close().
 */
#include "db_internal.h"
#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/log.h"

#include <pthread.h>

#define DB_CACHE_MIN 64 /* initial slots of a statement cache; a power of two */

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
 * statement.
 */
static struct stmt *stmt_new(struct db *db, const char *sql, size_t sql_len, bool persistent)
{
    struct stmt *q = calloc(1, sizeof(*q));
    int rc;

    if (!q) {
        log_msg(LOG_ERROR, "db", "out of memory for a statement", "sql", sql, NULL);
        return &db->oom_stmt;
    }
    q->db = db;
    q->sql = sql;
    q->sql_len = sql_len;
    rc = db->backend->prepare(q, persistent);
    if (rc < 0) {
        q->rc = rc;
        q->handle = NULL;
        return q;
    }
    q->is_cached = persistent;
    return q;
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
        q->rc = db->backend->bind(q, args, nargs);
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
    if (q->db->read_only && !q->db->backend->is_read_only(q)) {
        log_msg(LOG_ERROR, "db", "write refused on a read-only connection", "sql", q->sql, NULL);
        q->rc = ERR_DB;
        return false;
    }
    rc = q->db->backend->step(q);
    if (rc > 0) {
        q->has_row = true;
        return true;
    }
    if (rc == 0)
        q->is_done = true;
    else
        q->rc = rc;
    return false;
}

/* Check that column col can be read on a current row. */
static void column_check(struct stmt *q, int col)
{
    if (!q->has_row)
        BUG("column %d read without a row in SQL \"%s\"", col, q->sql);
    if (col < 0 || col >= q->db->backend->column_count(q))
        BUG("column %d out of range in SQL \"%s\"", col, q->sql);
}

int64_t db_i64(struct stmt *q, int col)
{
    column_check(q, col);
    return q->db->backend->column_i64(q, col);
}

const char *db_text(struct stmt *q, int col)
{
    size_t len;
    const char *text;

    column_check(q, col);
    text = q->db->backend->column_text(q, col, &len);
    return text ? text : "";
}

bool db_is_null(struct stmt *q, int col)
{
    size_t len;

    column_check(q, col);
    return q->db->backend->column_text(q, col, &len) == NULL;
}

const void *db_blob(struct stmt *q, int col, size_t *len)
{
    column_check(q, col);
    return q->db->backend->column_blob(q, col, len);
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
        q->db->backend->reset(q); /* its error, if any, is in q->rc already */
        q->rc = 0;
        q->in_use = q->has_row = q->is_done = false;
    } else {
        if (q->handle)
            q->db->backend->finalize(q);
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
    if (q->rc == 0 && q->handle)
        db->changes = db->backend->changes(q);
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
        size_t len;
        const char *text;

        column_check(q, 0);
        text = db->backend->column_text(q, 0, &len);
        *out = text ? arena_strndup(a, text, len) : NULL;
    }
    rc = db_end(q);
    if (rc < 0)
        return rc;
    return found ? 0 : ERR_NOTFOUND;
}

char *db_like_contains(struct arena *a, const char *q)
{
    struct buf b;

    buf_init_arena(&b, a);
    buf_addch(&b, '%');
    for (const char *p = q; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            buf_addch(&b, '\\');
        buf_addch(&b, *p);
    }
    buf_addch(&b, '%');
    return b.s;
}

int64_t db_changes(struct db *db)
{
    return db->changes;
}

/*
 * Read-only is checked here, statement by statement, rather than with a
 * database setting: SQLite's PRAGMA query_only expires every prepared
 * statement of the connection (the cache would never hit), and
 * PostgreSQL's SET costs two round trips per request.
 */
int db_set_read_only(struct db *db, bool read_only)
{
    db->read_only = read_only;
    return 0;
}

int db_exec_script(struct db *db, const char *script)
{
    return db->backend->exec_script(db, script);
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

bool db_target_is_pg(const char *target)
{
    return strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0;
}

int db_open(const char *target, struct db **out)
{
    struct db *db = calloc(1, sizeof(*db));
    int rc;

    *out = NULL;
    if (!db)
        return ERR_NOMEM;
    db->oom_stmt = (struct stmt){.db = db,
                                 .sql = "(no memory for a statement)",
                                 .rc = ERR_NOMEM,
                                 .is_static = true,
                                 .in_use = true};
    db->backend = db_target_is_pg(target) ? &db_pg_backend : &db_sqlite_backend;
    rc = db->backend->open(db, target);
    if (rc < 0) {
        free(db);
        return rc;
    }
    *out = db;
    return 0;
}

int db_listener_open(const char *target, const char *channel, struct db_listener **out)
{
    *out = NULL;
    if (!db_target_is_pg(target))
        return ERR_NOTFOUND;
    return db_pg_listener_open(target, channel, out);
}

int db_listener_wait(struct db_listener *l, int timeout_ms)
{
    return db_pg_listener_wait(l, timeout_ms);
}

void db_listener_close(struct db_listener *l)
{
    if (l)
        db_pg_listener_close(l);
}

int db_notify(struct db *db, const char *channel)
{
    return db->backend->notify(db, channel);
}

void db_cache_clear(struct db *db)
{
    for (size_t i = 0; i < db->cache_cap; i++) {
        if (db->cache[i].sql) {
            if (db->cache[i].stmt->handle)
                db->backend->finalize(db->cache[i].stmt);
            free(db->cache[i].stmt);
        }
    }
    free(db->cache);
    db->cache = NULL;
    db->cache_cap = db->cache_used = 0;
}

void db_close(struct db *db)
{
    if (!db)
        return;
    db_reset_session(db);
    db_cache_clear(db);
    db->backend->close(db);
    free(db);
}

/*
 * ===== Transactions =====
 */

/* Roll back if the backend still has a transaction open (an error may have ended it). */
static void tx_rollback_backend(struct db *db)
{
    if (db->backend->tx_state(db) != DB_TX_IDLE)
        db_exec(db, "ROLLBACK");
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
        int rc = db->backend->tx_begin(db);

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
    if (db->backend->tx_state(db) != DB_TX_OPEN) {
        log_msg(LOG_ERROR, "db", "transaction ended by an error before commit", NULL);
        tx_rollback_backend(db);
        return ERR_DB;
    }
    rc = db_exec(db, "COMMIT");
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
 * A borrowed connection is checked first: the PostgreSQL backend
 * re-establishes one the server dropped.
 */

struct db_pool {
    pthread_mutex_t lock;
    pthread_cond_t available; /* signalled when a connection comes back */
    unsigned size;
    unsigned idle_count;
    struct db **all;  /* every connection, for checks and close */
    struct db **idle; /* stack of the connections not borrowed */
};

int db_pool_open(const char *target, unsigned size, struct db_pool **out)
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
        rc = db_open(target, &pool->all[i]);
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
    db->backend->check(db);
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
