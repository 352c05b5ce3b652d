/*
 * db_copy.c - copy a SQLite database into an empty PostgreSQL database
 * (db_copy.h; `ruche migrate`).
 *
 * Surprising: this file runs SQL built at run time, the one exception to
 * the literal-only rule of db.h.  A copy must name tables and columns it
 * learns from the database's own schema (sqlite_schema, pragma_table_info),
 * so "SELECT … FROM "t"" and "INSERT INTO "t" ("c1", …) VALUES (?, …)"
 * are assembled here, every name quoted as an identifier with its double
 * quotes doubled.  Values are still bound, never interpolated.
 *
 * The simpler clean way to run such SQL turned out to need nothing new:
 * the backend interface of db_internal.h already prepares whatever text a
 * struct stmt holds.  So the statements of this file are struct stmt it
 * owns, driven through db->backend (prepare, bind, step, reset, finalize),
 * never through db_query_(): the statement cache is keyed by the address
 * of a literal, which a run-time string does not have.  db.h stays
 * literal-only for every other file, and this file calls neither sqlite3_*
 * nor libpq.  The storage class of each SQLite value, which decides how it
 * is bound (INTEGER as int8, TEXT as text, BLOB as bytea, NULL), is read
 * in SQL with typeof(), as the column before the value.  A REAL, which no
 * migration declares, is sent as text: PostgreSQL accepts it only in a
 * text column, and refuses it elsewhere, which fails the copy.
 *
 * Order: tables in creation order (sqlite_schema rowid), then moved so
 * that each comes after the tables its foreign keys reference: a table
 * rebuilt by a later migration gets a later rowid than its children.
 * Rows go in batches of multi-row INSERTs, one round trip per batch.
 * Names are expected lower case, as migrations write them: PostgreSQL
 * folds unquoted DDL names, and a mismatch fails the copy.
 *
 * Owns no state beyond one copy, whose memory comes from the caller's
 * arena; each batch's values live in an arena of their own.
 */
#include "db_copy.h"
#include "db_internal.h"
#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/log.h"

#include <strings.h>

#define DB_COPY_BATCH_ROWS 500   /* rows per INSERT */
#define DB_COPY_MAX_PARAMS 65535 /* PostgreSQL's limit of parameters per statement */
#define DB_COPY_MIGRATION_TABLE "schema_migration"

/*
 * ===== Statements built at run time =====
 */

/* Prepare sql (borrowed until dyn_close()) into q on db. */
static int dyn_prepare(struct stmt *q, struct db *db, const char *sql)
{
    int rc;

    memset(q, 0, sizeof(*q));
    q->db = db;
    q->sql = sql;
    q->sql_len = strlen(sql);
    q->in_use = true;
    rc = db->backend->prepare(q, false);
    if (rc < 0)
        q->handle = NULL;
    return rc;
}

/* Bind args and take the first step: 1 with a row, 0 without, or an error. */
static int dyn_start(struct stmt *q, const struct db_arg *args, size_t nargs)
{
    int rc;

    q->db->backend->reset(q);
    if ((rc = q->db->backend->bind(q, args, nargs)) < 0)
        return rc;
    return q->db->backend->step(q);
}

static void dyn_close(struct stmt *q)
{
    if (q->handle)
        q->db->backend->finalize(q);
}

/* Run sql once, stepping over any rows it returns. */
static int dyn_exec(struct db *db, const char *sql, const struct db_arg *args, size_t nargs)
{
    struct stmt q;
    int rc = dyn_prepare(&q, db, sql);

    if (rc == 0)
        rc = dyn_start(&q, args, nargs);
    while (rc > 0)
        rc = db->backend->step(&q);
    dyn_close(&q);
    return rc;
}

/* The first column of the first row of sql, which must return one. */
static int dyn_get_i64(struct db *db, const char *sql, int64_t *out)
{
    struct stmt q;
    int rc = dyn_prepare(&q, db, sql);

    if (rc == 0 && (rc = dyn_start(&q, NULL, 0)) > 0) {
        *out = db->backend->column_i64(&q, 0);
        rc = 0;
    } else if (rc == 0) {
        rc = ERR_DB; /* an aggregate always has a row */
    }
    dyn_close(&q);
    return rc;
}

/* Append name as an SQL identifier: in double quotes, its own double quotes doubled. */
static void quote_ident(struct buf *b, const char *name)
{
    buf_addch(b, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            buf_addch(b, '"');
        buf_addch(b, *p);
    }
    buf_addch(b, '"');
}

/* "SELECT count(*) FROM "t"", from a. */
static const char *count_sql(struct arena *a, const char *table)
{
    struct buf b;

    buf_init_arena(&b, a);
    buf_addstr(&b, "SELECT count(*) FROM ");
    quote_ident(&b, table);
    return b.s;
}

/*
 * ===== Listing the tables =====
 */

/* Append name to a growing array of names in a. */
static void names_push(struct arena *a, const char ***names, size_t *n, size_t *cap,
                       const char *name)
{
    if (*n == *cap) {
        const char **grown;

        *cap = *cap ? *cap * 2 : 16;
        grown = arena_array(a, *cap, sizeof(*grown));
        if (*n)
            memcpy(grown, *names, *n * sizeof(*grown));
        *names = grown;
    }
    (*names)[(*n)++] = arena_strdup(a, name);
}

/* The source's ordinary tables, in creation order, into *names (from c->a). */
static int tables_read(struct db_copy *c, const char ***names, size_t *n)
{
    size_t cap = 0;
    struct stmt *q =
        db_query(c->source, "SELECT m.name" /* 0 */
                            "  FROM sqlite_schema m"
                            "  JOIN pragma_table_list l ON l.schema = 'main' AND l.name = m.name"
                            " WHERE m.type = 'table' AND l.type = 'table'"
                            "   AND substr(m.name, 1, 7) <> 'sqlite_'"
                            " ORDER BY m.rowid");

    *names = NULL;
    *n = 0;
    while (db_row(q))
        names_push(c->a, names, n, &cap, db_text(q, 0));
    return db_end(q);
}

/* Set is_parent[j] for each table j of names that table i references (itself aside). */
static int parents_read(struct db_copy *c, const char **names, size_t n, size_t i, bool *is_parent)
{
    struct stmt *q = db_query(c->source,
                              "SELECT DISTINCT \"table\"" /* 0 */
                              "  FROM pragma_foreign_key_list(?)",
                              DB_TEXT(names[i]));

    while (db_row(q))
        for (size_t j = 0; j < n; j++)
            if (j != i && strcasecmp(db_text(q, 0), names[j]) == 0)
                is_parent[j] = true;
    return db_end(q);
}

/* The first table not placed whose parents all are; the first not placed on a cycle. */
static size_t next_table(size_t n, const bool *placed, const bool *parent_of)
{
    for (size_t i = 0; i < n; i++) {
        bool ready = !placed[i];

        for (size_t j = 0; j < n && ready; j++)
            ready = placed[j] || !parent_of[i * n + j];
        if (ready)
            return i;
    }
    for (size_t i = 0; i < n; i++)
        if (!placed[i])
            return i;
    BUG("no table left to place");
}

/* Fill c->tables from names: parents before children, otherwise in creation order. */
static int tables_order(struct db_copy *c, const char **names, size_t n)
{
    bool *parent_of = arena_array(c->a, n > 0 ? n * n : 1, sizeof(bool)); /* [i * n + j] */
    bool *placed = arena_array(c->a, n ? n : 1, sizeof(bool));
    int rc;

    for (size_t i = 0; i < n; i++)
        if ((rc = parents_read(c, names, n, i, &parent_of[i * n])) < 0)
            return rc;
    c->tables = arena_array(c->a, n ? n : 1, sizeof(*c->tables));
    for (size_t k = 0; k < n; k++) {
        size_t i = next_table(n, placed, parent_of);

        placed[i] = true;
        c->tables[k] = (struct db_copy_table){
            .name = names[i],
            .is_copied = strcmp(names[i], DB_COPY_MIGRATION_TABLE) != 0,
            .target_rows = -1,
        };
    }
    c->table_count = n;
    return 0;
}

/* List the tables to copy, in order, with their row counts in the snapshot. */
static int tables_list(struct db_copy *c)
{
    const char **names;
    size_t n;
    int rc;

    if ((rc = tables_read(c, &names, &n)) < 0 || (rc = tables_order(c, names, n)) < 0)
        return rc;
    for (size_t i = 0; i < c->table_count; i++) {
        struct db_copy_table *t = &c->tables[i];

        if ((rc = dyn_get_i64(c->source, count_sql(c->a, t->name), &t->source_rows)) < 0)
            return rc;
    }
    return 0;
}

/*
 * ===== Starting =====
 */

/* 0 when the target's current schema holds no relation, ERR_EXISTS if it does. */
static int target_check_empty(struct db *target)
{
    int64_t count = 0;
    int rc = db_get_i64(target, &count,
                        "SELECT count(*)"
                        "  FROM pg_catalog.pg_class c"
                        "  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                        " WHERE n.nspname = current_schema()"
                        "   AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')");

    if (rc < 0)
        return rc;
    return count > 0 ? ERR_EXISTS : 0;
}

int db_copy_begin(struct db_copy *c, struct arena *a, struct db *source, struct db *target)
{
    int rc;

    *c = (struct db_copy){.a = a, .source = source, .target = target};
    if (source->backend != &db_sqlite_backend || target->backend != &db_pg_backend) {
        log_msg(LOG_ERROR, "db", "a copy goes from SQLite to PostgreSQL", NULL);
        return ERR_INVALID;
    }
    if ((rc = db_tx_begin(target)) < 0)
        return rc;
    c->target_open = true;
    if ((rc = target_check_empty(target)) == 0 && (rc = db_migrate(target)) == 0 &&
        (rc = db_tx_begin(source)) == 0) {
        c->source_open = true;
        rc = tables_list(c);
    }
    if (rc < 0)
        db_copy_abort(c);
    return rc;
}

/*
 * ===== Copying rows =====
 */

/* The columns of table t, in order, into *cols (from c->a). */
static int columns_read(struct db_copy *c, const char *table, const char ***cols, size_t *n)
{
    size_t cap = 0;
    struct stmt *q = db_query(c->source,
                              "SELECT name" /* 0 */
                              "  FROM pragma_table_info(?) ORDER BY cid",
                              DB_TEXT(table));

    *cols = NULL;
    *n = 0;
    while (db_row(q))
        names_push(c->a, cols, n, &cap, db_text(q, 0));
    return db_end(q);
}

/* "SELECT typeof("c1"), "c1", … FROM "t"": each value after its storage class. */
static const char *select_sql(struct arena *a, const char *table, const char **cols, size_t n)
{
    struct buf b;

    buf_init_arena(&b, a);
    buf_addstr(&b, "SELECT ");
    for (size_t i = 0; i < n; i++) {
        buf_addstr(&b, i ? ", typeof(" : "typeof(");
        quote_ident(&b, cols[i]);
        buf_addstr(&b, "), ");
        quote_ident(&b, cols[i]);
    }
    buf_addstr(&b, " FROM ");
    quote_ident(&b, table);
    return b.s;
}

/*
 * "INSERT INTO "t" ("c1", …) OVERRIDING SYSTEM VALUE VALUES (?, …), …" for
 * rows rows.  OVERRIDING keeps the source's ids even in a GENERATED ALWAYS
 * identity column.
 */
static const char *insert_sql(struct arena *a, const char *table, const char **cols, size_t n,
                              size_t rows)
{
    struct buf b;

    buf_init_arena(&b, a);
    buf_addstr(&b, "INSERT INTO ");
    quote_ident(&b, table);
    buf_addstr(&b, " (");
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_addstr(&b, ", ");
        quote_ident(&b, cols[i]);
    }
    buf_addstr(&b, ") OVERRIDING SYSTEM VALUE VALUES ");
    for (size_t r = 0; r < rows; r++) {
        buf_addstr(&b, r ? ", (" : "(");
        for (size_t i = 0; i < n; i++)
            buf_addstr(&b, i ? ", ?" : "?");
        buf_addch(&b, ')');
    }
    return b.s;
}

/* Copy of len bytes at p in a, never NULL: an empty text or blob is not NULL. */
static const char *value_copy(struct arena *a, const char *p, size_t len)
{
    return arena_strndup(a, p ? p : "", p ? len : 0);
}

/* Value i of the source's current row as an argument; text and blobs copied into a. */
static struct db_arg value_read(struct stmt *q, int i, struct arena *a)
{
    const struct db_backend *be = q->db->backend;
    size_t len;
    const char *type = be->column_text(q, 2 * i, &len);
    const char *p;

    if (!type || strcmp(type, "null") == 0)
        return DB_NULL;
    if (strcmp(type, "integer") == 0)
        return DB_I64(be->column_i64(q, 2 * i + 1));
    if (strcmp(type, "blob") == 0) {
        p = be->column_blob(q, 2 * i + 1, &len);
        return DB_BLOB(value_copy(a, p, len), len);
    }
    p = be->column_text(q, 2 * i + 1, &len); /* text, or a real as text */
    if (!p)
        len = 0;
    return DB_TEXTN(value_copy(a, p, len), len);
}

/* One table on its way: its columns and the batch of rows being filled. */
struct copy_run {
    struct db_copy *c;
    struct db_copy_table *t;
    const char **cols;
    size_t ncols;
    size_t batch_rows;   /* rows per full batch */
    struct db_arg *args; /* batch_rows * ncols */
    size_t rows;         /* rows in the batch */
    struct arena values; /* text and blobs of the batch */
    struct stmt insert;  /* for batch_rows rows, built when the first batch is full */
    bool has_insert;
};

/* Insert the batch of run->rows rows with stmt q; the target must confirm each row. */
static int batch_insert(struct copy_run *run, struct stmt *q)
{
    int rc = dyn_start(q, run->args, run->rows * run->ncols);

    while (rc > 0)
        rc = q->db->backend->step(q);
    if (rc == 0 && q->db->backend->changes(q) != (int64_t)run->rows) {
        log_msg(LOG_ERROR, "db", "rows missing after an insert", "table", run->t->name, NULL);
        rc = ERR_DB;
    }
    return rc;
}

/* Send the batch: a full one through the prepared statement, the last one through its own. */
static int batch_flush(struct copy_run *run)
{
    struct db *target = run->c->target;
    struct stmt last;
    int rc;

    if (run->rows == run->batch_rows) {
        if (!run->has_insert) {
            const char *sql =
                insert_sql(run->c->a, run->t->name, run->cols, run->ncols, run->batch_rows);
            if ((rc = dyn_prepare(&run->insert, target, sql)) < 0)
                return rc;
            run->has_insert = true;
        }
        rc = batch_insert(run, &run->insert);
    } else {
        const char *sql = insert_sql(&run->values, run->t->name, run->cols, run->ncols, run->rows);
        if ((rc = dyn_prepare(&last, target, sql)) == 0)
            rc = batch_insert(run, &last);
        dyn_close(&last);
    }
    if (rc < 0)
        return rc;
    run->t->copied_rows += (int64_t)run->rows;
    run->rows = 0;
    arena_clear(&run->values);
    return 0;
}

/* Read every row of the source table into batches. */
static int rows_copy(struct copy_run *run, db_copy_progress_fn *progress, void *arg)
{
    const char *sql = select_sql(run->c->a, run->t->name, run->cols, run->ncols);
    struct stmt q;
    int rc = dyn_prepare(&q, run->c->source, sql);

    for (rc = rc < 0 ? rc : dyn_start(&q, NULL, 0); rc > 0; rc = q.db->backend->step(&q)) {
        struct db_arg *row = &run->args[run->rows * run->ncols];

        for (size_t i = 0; i < run->ncols; i++)
            row[i] = value_read(&q, (int)i, &run->values);
        if (++run->rows < run->batch_rows)
            continue;
        if ((rc = batch_flush(run)) < 0)
            break;
        if (progress)
            progress(arg, run->t);
    }
    dyn_close(&q);
    if (rc == 0 && run->rows > 0 && (rc = batch_flush(run)) == 0 && progress)
        progress(arg, run->t);
    return rc;
}

int db_copy_table(struct db_copy *c, struct db_copy_table *t, db_copy_progress_fn *progress,
                  void *arg)
{
    struct copy_run run = {.c = c, .t = t};
    int rc;

    if (!t->is_copied)
        return 0;
    t->copied_rows = 0;
    if (progress)
        progress(arg, t);
    if ((rc = columns_read(c, t->name, &run.cols, &run.ncols)) < 0)
        return rc;
    if (run.ncols == 0)
        BUG("table \"%s\" without columns", t->name);
    run.batch_rows = DB_COPY_MAX_PARAMS / run.ncols;
    if (run.batch_rows > DB_COPY_BATCH_ROWS)
        run.batch_rows = DB_COPY_BATCH_ROWS;
    if (run.batch_rows == 0)
        run.batch_rows = 1;
    run.args = arena_array(c->a, run.batch_rows * run.ncols, sizeof(*run.args));
    arena_init(&run.values);
    rc = rows_copy(&run, progress, arg);
    if (run.has_insert)
        dyn_close(&run.insert);
    arena_clear(&run.values);
    return rc;
}

/*
 * ===== Finishing =====
 */

/* The serial and identity columns of table t on the target, into *cols (from c->a). */
static int serial_columns_read(struct db_copy *c, const char *quoted, const char ***cols, size_t *n)
{
    size_t cap = 0;
    struct stmt *q = db_query(c->target,
                              "SELECT a.attname" /* 0 */
                              "  FROM pg_catalog.pg_attribute a"
                              " WHERE a.attrelid = to_regclass(?) AND a.attnum > 0"
                              "   AND NOT a.attisdropped"
                              "   AND pg_get_serial_sequence(?, a.attname) IS NOT NULL"
                              " ORDER BY a.attnum",
                              DB_TEXT(quoted), DB_TEXT(quoted));

    *cols = NULL;
    *n = 0;
    while (db_row(q))
        names_push(c->a, cols, n, &cap, db_text(q, 0));
    return db_end(q);
}

/* Move each sequence of table t past the highest value copied, so new rows get new ids. */
static int sequences_reset(struct db_copy *c, const struct db_copy_table *t)
{
    struct buf quoted, sql;
    const char **cols;
    size_t n;
    int rc;

    buf_init_arena(&quoted, c->a);
    quote_ident(&quoted, t->name);
    if ((rc = serial_columns_read(c, quoted.s, &cols, &n)) < 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        buf_init_arena(&sql, c->a);
        buf_addstr(&sql, "SELECT setval(pg_get_serial_sequence(?, ?), greatest(coalesce(max(");
        quote_ident(&sql, cols[i]);
        buf_addstr(&sql, "), 0), 0) + 1, false) FROM ");
        buf_addstr(&sql, quoted.s);
        rc = dyn_exec(c->target, sql.s, (struct db_arg[]){DB_TEXT(quoted.s), DB_TEXT(cols[i])}, 2);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int db_copy_finish(struct db_copy *c)
{
    bool differs = false;
    int rc;

    for (size_t i = 0; i < c->table_count; i++) {
        struct db_copy_table *t = &c->tables[i];

        if (t->is_copied && (rc = sequences_reset(c, t)) < 0)
            return rc;
        if ((rc = dyn_get_i64(c->target, count_sql(c->a, t->name), &t->target_rows)) < 0)
            return rc;
        differs |= t->target_rows != t->source_rows;
        differs |= t->is_copied && t->copied_rows != t->source_rows;
    }
    if (c->source_open) {
        db_tx_rollback(c->source); /* a read snapshot: nothing to keep */
        c->source_open = false;
    }
    return differs ? ERR_INVALID : 0;
}

int db_copy_commit(struct db_copy *c)
{
    int rc;

    if (!c->target_open)
        BUG("db_copy_commit() without a copy in progress");
    if (c->source_open) {
        db_tx_rollback(c->source);
        c->source_open = false;
    }
    rc = db_tx_commit(c->target);
    c->target_open = false;
    return rc;
}

void db_copy_abort(struct db_copy *c)
{
    if (c->source_open)
        db_tx_rollback(c->source);
    if (c->target_open)
        db_tx_rollback(c->target);
    c->source_open = c->target_open = false;
}
