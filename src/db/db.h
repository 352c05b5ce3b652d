/*
 * db.h - the only SQL API of Ruche (Fossil's db_* helpers, bound parameters only).
 *
 * SQL is always a string literal: the macros below glue "" around it, so a
 * variable cannot be passed as SQL and nothing can be interpolated into it.
 * Arguments are typed values (DB_I64, DB_INT, DB_TEXT, DB_NULL, DB_BLOB);
 * their count is checked against the statement's placeholders and a
 * mismatch is a BUG().  Placeholders are written '?'.  The one dialect
 * switch: a block comment whose text starts with "pg:" (as in
 * "pg: FOR UPDATE SKIP LOCKED") is SQL on PostgreSQL and a comment on
 * SQLite, which has one writer at a time anyway.
 *
 *     struct stmt *q = db_query(db,
 *         "SELECT id, name FROM account WHERE role = ? ORDER BY id",  -- 0 1
 *         DB_TEXT(role));
 *     while (db_row(q)) {
 *         int64_t id = db_i64(q, 0);
 *         const char *name = db_text(q, 1);   -- borrowed until the next db_row()
 *     }
 *     if ((rc = db_end(q)) < 0) return rc;
 *
 * Text and blob arguments are bound without copying: the memory they point
 * to must stay valid until db_end() (compound-literal arguments only carry
 * the pointer).  db_exec() and db_get_*() end their statement themselves.
 *
 * Errors are returned, never fatal: ERR_BUSY (answer 503), ERR_DB (500),
 * ERR_EXISTS (unique constraint), ERR_NOTFOUND (db_get_* without a row).
 * The SQL text of a failure is logged, never shown.
 *
 * Connections come from a bounded pool (struct db_pool): one per worker
 * thread at a time, each with its own prepared-statement cache keyed by
 * the SQL literal's address.
 */
#ifndef RUCHE_DB_H
#define RUCHE_DB_H

#include "../core/core.h"

struct db;
struct db_pool;
struct stmt;

enum db_arg_type { DB_ARG_NULL, DB_ARG_I64, DB_ARG_TEXT, DB_ARG_BLOB };

struct db_arg {
    enum db_arg_type type;
    int64_t i;
    const void *p; /* text (NUL-terminated unless n is set) or blob */
    size_t n;      /* blob length; text length or SIZE_MAX for strlen */
};

#define DB_NULL ((struct db_arg){.type = DB_ARG_NULL})
#define DB_I64(v) ((struct db_arg){.type = DB_ARG_I64, .i = (int64_t)(v)})
#define DB_INT(v) DB_I64(v)
#define DB_BOOL(v) DB_I64((v) ? 1 : 0)
/* Text (UTF-8) and blobs; a NULL pointer binds SQL NULL.  Borrowed until db_end(). */
#define DB_TEXT(v) ((struct db_arg){.type = DB_ARG_TEXT, .p = (v), .n = SIZE_MAX})
#define DB_TEXTN(v, len) ((struct db_arg){.type = DB_ARG_TEXT, .p = (v), .n = (len)})
#define DB_BLOB(v, len) ((struct db_arg){.type = DB_ARG_BLOB, .p = (v), .n = (len)})

/* The leading {0} lets the argument list be empty; it is skipped. */
#define DB_ARGS_(...) ((const struct db_arg[]){{0}, __VA_ARGS__} + 1)
#define DB_NARGS_(...)                                                                             \
    (sizeof((const struct db_arg[]){{0}, __VA_ARGS__}) / sizeof(struct db_arg) - 1)

/*
 * Prepare (or take from cache), bind and return a statement; never NULL.
 * A failure is remembered: db_row() then returns false and db_end() the
 * error.  Every statement must reach db_end() before its connection goes
 * back to the pool.  The same SQL may be nested (a query inside the loop of
 * the same query): the inner one gets a statement of its own.
 */
#define db_query(db, sql, ...)                                                                     \
    db_query_((db), "" sql "", sizeof(sql) - 1, DB_ARGS_(__VA_ARGS__), DB_NARGS_(__VA_ARGS__))
/* Run a statement that returns no rows (DDL, INSERT, UPDATE, DELETE). */
#define db_exec(db, sql, ...)                                                                      \
    db_exec_((db), "" sql "", sizeof(sql) - 1, DB_ARGS_(__VA_ARGS__), DB_NARGS_(__VA_ARGS__))
/* First column of the first row; ERR_NOTFOUND without a row, *out untouched. */
#define db_get_i64(db, out, sql, ...)                                                              \
    db_get_i64_((db), (out), "" sql "", sizeof(sql) - 1, DB_ARGS_(__VA_ARGS__),                    \
                DB_NARGS_(__VA_ARGS__))
/* First column of the first row as text copied into arena a (NULL for SQL NULL). */
#define db_get_text(db, a, out, sql, ...)                                                          \
    db_get_text_((db), (a), (out), "" sql "", sizeof(sql) - 1, DB_ARGS_(__VA_ARGS__),              \
                 DB_NARGS_(__VA_ARGS__))

struct stmt *db_query_(struct db *db, const char *sql, size_t sql_len, const struct db_arg *args,
                       size_t nargs);
int db_exec_(struct db *db, const char *sql, size_t sql_len, const struct db_arg *args,
             size_t nargs);
int db_get_i64_(struct db *db, int64_t *out, const char *sql, size_t sql_len,
                const struct db_arg *args, size_t nargs);
struct arena;
int db_get_text_(struct db *db, struct arena *a, char **out, const char *sql, size_t sql_len,
                 const struct db_arg *args, size_t nargs);

/* Step to the next row: true while there is one.  False at the end or on error. */
bool db_row(struct stmt *q);
/* Column readers for the current row (0-based).  Text is borrowed until the next db_row(). */
int64_t db_i64(struct stmt *q, int col);
const char *db_text(struct stmt *q, int col); /* "" for NULL */
bool db_is_null(struct stmt *q, int col);
const void *db_blob(struct stmt *q, int col, size_t *len);
/* Finish: reset, return to the cache, and report an error met while stepping. */
int db_end(struct stmt *q);

/* The LIKE pattern "%q%" for a substring search, with LIKE's wildcards (% _ \) escaped;
 * use it with ESCAPE '\'.  Returns memory from a. */
char *db_like_contains(struct arena *a, const char *q);
/* Rows changed by the last INSERT, UPDATE or DELETE run by db_exec(). */
int64_t db_changes(struct db *db);

/*
 * Transactions.  db_tx_begin() is BEGIN IMMEDIATE on SQLite so two writers
 * never deadlock (plain BEGIN, a read snapshot, on a read-only connection);
 * nesting is counted and only the outermost pair acts.  An inner
 * db_tx_rollback() dooms the whole transaction: the outermost
 * db_tx_commit() then rolls back and returns ERR_DB.  db_tx_commit() and
 * db_tx_rollback() without an open transaction are a BUG().
 * A transaction still open when the connection returns to the pool is
 * rolled back and reported with the file and line that opened it.
 */
#define db_tx_begin(db) db_tx_begin_((db), __FILE__, __LINE__)
int db_tx_begin_(struct db *db, const char *file, int line);
int db_tx_commit(struct db *db);
void db_tx_rollback(struct db *db);

/* Refuse writes on this connection until db_set_read_only(db, false) (GET handlers). */
int db_set_read_only(struct db *db, bool read_only);

/*
 * Opening.  target is a SQLite file path, or a PostgreSQL URL
 * ("postgresql://user@host/db?…"): the backend follows from it.  SQLite
 * connections get WAL, foreign keys and the busy timeout.  Migrations are
 * applied by db_migrate().
 */
int db_open(const char *target, struct db **out);
void db_close(struct db *db);

/* Apply every embedded migration not yet applied, in order, each in its own transaction. */
int db_migrate(struct db *db);

/*
 * Notifications between nodes (PostgreSQL LISTEN/NOTIFY).  A listener is a
 * dedicated connection; with SQLite there is one process and no listener
 * (db_listener_open answers ERR_NOTFOUND).
 */
struct db_listener;
int db_listener_open(const char *target, const char *channel, struct db_listener **out);
/* Wait up to timeout_ms: 1 when notified, 0 on timeout, ERR_BUSY when the connection was
 * lost (it is re-established on a later call; notifications may have been missed). */
int db_listener_wait(struct db_listener *l, int timeout_ms);
void db_listener_close(struct db_listener *l);
/* Notify the listeners of channel when the current transaction commits; nothing on SQLite. */
int db_notify(struct db *db, const char *channel);

/* A bounded pool of connections to one database, safe to share between threads. */
int db_pool_open(const char *target, unsigned size, struct db_pool **out);
/* Borrow a connection, waiting while all are in use. */
struct db *db_pool_acquire(struct db_pool *pool);
/*
 * Give it back: rolls back a forgotten transaction (logged with its origin)
 * and clears read-only.  A statement not given to db_end() is a BUG() in
 * debug builds; release builds log it and end it.
 */
void db_pool_release(struct db_pool *pool, struct db *db);
/* Close every connection; none may be borrowed. */
void db_pool_close(struct db_pool *pool);

#endif
