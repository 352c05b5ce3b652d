/*
 * db_copy.h - copy a SQLite database into an empty PostgreSQL database,
 * for `ruche migrate` (an organisation moving up to several nodes).
 *
 * The copy is one PostgreSQL transaction from start to end: the schema
 * (db_migrate() on the target) and every row.  The source is read in one
 * SQLite transaction, a consistent snapshot that also keeps writers out.
 * Nothing reaches the target until db_copy_commit(), so a copy that fails
 * or does not match leaves the target database as empty as it was.
 *
 *     struct db_copy c;
 *     if ((rc = db_copy_begin(&c, &a, sqlite, pg)) < 0) ...;     -- ERR_EXISTS: not empty
 *     for (size_t i = 0; i < c.table_count; i++)
 *         if ((rc = db_copy_table(&c, &c.tables[i], show, arg)) < 0) ...;
 *     rc = db_copy_finish(&c);                                    -- ERR_INVALID: a count differs
 *     ... db_copy_commit(&c), or db_copy_abort(&c) on any error
 *
 * Tables are the source's own (virtual and shadow tables aside: full-text
 * indexes are engine-specific), parents before children.  schema_migration
 * is not copied, since db_migrate() fills it, but its counts are compared.
 */
#ifndef RUCHE_DB_COPY_H
#define RUCHE_DB_COPY_H

#include "../core/core.h"

struct arena;
struct db;

/* One table of the copy, and its counts. */
struct db_copy_table {
    const char *name;    /* as the SQLite schema spells it */
    bool is_copied;      /* false for schema_migration: only its counts are compared */
    int64_t source_rows; /* count(*) on SQLite, in the snapshot */
    int64_t copied_rows; /* rows read and inserted so far */
    int64_t target_rows; /* count(*) on PostgreSQL; -1 until db_copy_finish() */
};

/* A copy in progress.  Memory comes from the arena given to db_copy_begin(). */
struct db_copy {
    struct arena *a;
    struct db *source;            /* SQLite, borrowed */
    struct db *target;            /* PostgreSQL, borrowed */
    struct db_copy_table *tables; /* in copy order: parents before children */
    size_t table_count;
    bool source_open; /* the read transaction on the source is open */
    bool target_open; /* the transaction on the target is open */
};

/* Called after each batch of rows of t (and once before the first). */
typedef void db_copy_progress_fn(void *arg, const struct db_copy_table *t);

/*
 * Start a copy of source (SQLite) into target (PostgreSQL): open both
 * transactions, check that the target's current schema holds no relation
 * (table, view or sequence), create the schema there with db_migrate(),
 * and list the tables to copy with their row counts.  source must be
 * migrated already, so that both schemas are those of this program.
 * Returns 0; ERR_EXISTS when the target is not empty; ERR_INVALID when the
 * backends are not SQLite and PostgreSQL; ERR_BUSY or ERR_DB (logged).  On
 * error both transactions are closed again and nothing was written.
 * Everything c holds is allocated from a and lives until it is cleared.
 */
int db_copy_begin(struct db_copy *c, struct arena *a, struct db *source, struct db *target);

/*
 * Copy every row of t, in batches: the source's storage class of each
 * value decides its type (INTEGER as int8, TEXT as text, BLOB as bytea,
 * NULL).  progress, if not NULL, gets arg after each batch.  Returns 0, or
 * the error of the target (logged with its SQL): the caller then aborts.
 */
int db_copy_table(struct db_copy *c, struct db_copy_table *t, db_copy_progress_fn *progress,
                  void *arg);

/*
 * After the last table: set each serial or identity sequence of the target
 * past the highest value copied, count the target's rows of every table,
 * and end the read transaction on the source, which the copy no longer
 * needs.  Returns 0 when every count matches; ERR_INVALID when one differs
 * (the tables say which); ERR_BUSY or ERR_DB.
 */
int db_copy_finish(struct db_copy *c);

/* Commit the target's transaction: the copy becomes visible.  ERR_BUSY or ERR_DB. */
int db_copy_commit(struct db_copy *c);

/* Roll back whatever is still open; the target is left as it was.  Safe to call twice. */
void db_copy_abort(struct db_copy *c);

#endif
