/*
 * db_internal.h - what src/db/ files share behind db.h: the common parts
 * of a connection and a statement, and the interface each backend
 * (SQLite, PostgreSQL) implements.
 *
 * Only src/db/ and the db unit tests include this header.  Feature code
 * never does: raw script execution exists for migrations alone, and the
 * introspection helpers exist for tests.
 */
#ifndef RUCHE_DB_INTERNAL_H
#define RUCHE_DB_INTERNAL_H

#include "db.h"

struct db_backend;

struct stmt {
    void *handle; /* the backend's statement; NULL after a failed prepare */
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
    const struct db_backend *backend;
    void *conn;               /* the backend's connection */
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
 * A backend.  Errors are returned as ERR_* codes, already logged with the
 * SQL.  Columns are read only on a current row, checked by db.c.
 */
struct db_backend {
    const char *name;
    int (*open)(struct db *db, const char *target);
    void (*close)(struct db *db);
    /* Prepare q->sql into q->handle; a persistent statement stays in the cache. */
    int (*prepare)(struct stmt *q, bool persistent);
    void (*finalize)(struct stmt *q);
    /* Bind the arguments; a count that differs from the placeholders is a BUG(). */
    int (*bind)(struct stmt *q, const struct db_arg *args, size_t nargs);
    /* 1 with a row, 0 at the end, < 0 on error. */
    int (*step)(struct stmt *q);
    /* Back to the state after prepare, bindings cleared; rows changed are kept for changes(). */
    void (*reset)(struct stmt *q);
    int (*column_count)(struct stmt *q);
    int64_t (*column_i64)(struct stmt *q, int col);
    /* NULL for SQL NULL; *len gets the byte length. */
    const char *(*column_text)(struct stmt *q, int col, size_t *len);
    const void *(*column_blob)(struct stmt *q, int col, size_t *len);
    /* Rows changed by q, which has just been stepped to its end. */
    int64_t (*changes)(struct stmt *q);
    int (*exec_script)(struct db *db, const char *script);
    int (*tx_begin)(struct db *db);
    /* DB_TX_IDLE, DB_TX_OPEN, or DB_TX_FAILED (an error ended it; only ROLLBACK works). */
    int (*tx_state)(struct db *db);
    /* True when q cannot change the database (transaction control counts as reading). */
    bool (*is_read_only)(struct stmt *q);
    /* Called when a connection is borrowed: re-establish a lost one (best effort). */
    void (*check)(struct db *db);
    int (*notify)(struct db *db, const char *channel);
};

/* PostgreSQL listeners (db_pg.c). */
int db_pg_listener_open(const char *url, const char *channel, struct db_listener **out);
int db_pg_listener_wait(struct db_listener *l, int timeout_ms);
void db_pg_listener_close(struct db_listener *l);

enum db_tx_state { DB_TX_IDLE, DB_TX_OPEN, DB_TX_FAILED };

extern const struct db_backend db_sqlite_backend;
extern const struct db_backend db_pg_backend;

/* True for "postgresql://…" and "postgres://…" targets. */
bool db_target_is_pg(const char *target);

/* Drop every cached statement (a reconnected server forgot them). */
void db_cache_clear(struct db *db);

/*
 * Run a whole SQL script (several statements, no parameters).  For
 * migrations only: the script is an embedded file, never user input.
 * Returns 0, ERR_BUSY, ERR_EXISTS or ERR_DB.
 */
int db_exec_script(struct db *db, const char *script);

/*
 * Make a connection clean for its next borrower: end statements left live
 * (a BUG() in debug builds), roll back a forgotten transaction (logged with
 * the file and line that opened it) and clear read-only.  The pool calls it
 * on release.
 */
void db_reset_session(struct db *db);

/* Statements started with db_query() and not yet given to db_end(). */
size_t db_live_count(struct db *db);
/* The backend's statement handle, for cache tests; NULL after a failed prepare. */
const void *db_stmt_handle(struct stmt *q);

#endif
