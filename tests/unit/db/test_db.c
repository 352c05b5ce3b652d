/*
 * test_db.c - unit tests of src/db: db.h on SQLite and on PostgreSQL, the
 * statement cache, transactions, the pool and the embedded migrations.
 *
 * The backend-neutral tests run twice: on SQLite, each with a fresh
 * database file in its own mkdtemp() directory under /tmp; then, when
 * $RUCHE_TEST_PG names a PostgreSQL database that may create others
 * (tools/pg-test-server prints one), on PostgreSQL, each with a fresh
 * database made through that URL and dropped WITH (FORCE) by the
 * teardown.  Without $RUCHE_TEST_PG the second run is skipped with a line
 * on stderr.  Tests of SQLite internals (statement handles, PRAGMA) run on
 * SQLite only; tests of PostgreSQL behaviour (row locks seen from a second
 * connection, a connection killed by the server) on PostgreSQL only.
 *
 * SQL stays portable: test tables are made by db_exec_script(), which
 * translates INTEGER PRIMARY KEY, INTEGER and BLOB on PostgreSQL as it
 * does for migrations.  Misuses that must be a BUG() run in a forked
 * child, which is expected to die of SIGABRT.
 */
#include "db/db.h"
#include "db/db_internal.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/builtin.h"
#include "core/log.h"

#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

static const char *pg_url;    /* $RUCHE_TEST_PG, or NULL: no PostgreSQL run */
static unsigned pg_databases; /* databases made so far, for unique names */

/* The table every test starts with; portable through db_exec_script(). */
static const char table_t[] = "CREATE TABLE t ("
                              " id INTEGER PRIMARY KEY,"
                              " name TEXT UNIQUE,"
                              " n INTEGER NOT NULL DEFAULT 0,"
                              " data BLOB)";

struct fixture {
    bool is_pg;
    char dir[64];      /* SQLite: the mkdtemp() directory */
    char dbname[64];   /* PostgreSQL: the database made for this test */
    struct buf target; /* what db_open() takes: the file path or the URL */
    struct db *admin;  /* PostgreSQL: connection to $RUCHE_TEST_PG, to drop dbname */
    struct db *db;
};

static int setup_sqlite(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    snprintf(f->dir, sizeof(f->dir), "/tmp/ruche-test-db-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    buf_init(&f->target);
    buf_addf(&f->target, "%s/test.db", f->dir);
    assert_int_equal(db_open(f->target.s, &f->db), 0);
    assert_int_equal(db_exec_script(f->db, table_t), 0);
    *state = f;
    return 0;
}

/*
 * The URL of database name on the server of $RUCHE_TEST_PG: the same URL
 * with its path replaced ("postgresql:///postgres?host=/tmp/x" gives
 * "postgresql:///NAME?host=/tmp/x").
 */
static void pg_url_for(struct buf *out, const char *name)
{
    const char *authority = strstr(pg_url, "://");
    const char *path, *query;

    assert_non_null(authority);
    authority += 3;
    path = authority + strcspn(authority, "/?#");
    query = path + strcspn(path, "?#");
    buf_add(out, pg_url, (size_t)(path - pg_url));
    buf_addf(out, "/%s%s", name, query);
}

static int setup_pg(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct buf sql = BUF_INIT;

    assert_non_null(f);
    f->is_pg = true;
    buf_init(&f->target);
    /* The pid keeps concurrent runs (normal and sanitizer builds) apart. */
    snprintf(f->dbname, sizeof(f->dbname), "ruche_unit_%ld_%u", (long)getpid(), ++pg_databases);
    assert_int_equal(db_open(pg_url, &f->admin), 0);
    /* A database name cannot be a parameter: the script runner takes built SQL. */
    buf_addf(&sql, "CREATE DATABASE %s", f->dbname);
    assert_int_equal(db_exec_script(f->admin, sql.s), 0);
    buf_release(&sql);
    pg_url_for(&f->target, f->dbname);
    assert_int_equal(db_open(f->target.s, &f->db), 0);
    assert_int_equal(db_exec_script(f->db, table_t), 0);
    *state = f;
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    db_close(f->db);
    if (f->is_pg) {
        struct buf sql = BUF_INIT;

        buf_addf(&sql, "DROP DATABASE %s WITH (FORCE)", f->dbname);
        assert_int_equal(db_exec_script(f->admin, sql.s), 0);
        buf_release(&sql);
        db_close(f->admin);
    } else {
        assert_int_equal(nftw(f->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS), 0);
    }
    buf_release(&f->target);
    free(f);
    return 0;
}

static int64_t count_rows(struct db *db)
{
    int64_t n = -1;

    assert_int_equal(db_get_i64(db, &n, "SELECT count(*) FROM t"), 0);
    return n;
}

/*
 * ===== Statements =====
 */

static void test_insert_and_query(void **state)
{
    struct fixture *f = *state;
    static const unsigned char blob[] = {0, 1, 2, 0xff};
    const char *long_name = "hello world";
    struct stmt *q;
    const void *data;
    size_t len;
    int64_t id = 0;
    int rows = 0;

    assert_int_equal(db_exec(f->db, "INSERT INTO t (name, n, data) VALUES (?, ?, ?)",
                             DB_TEXT("alpha"), DB_I64(INT64_MAX), DB_BLOB(blob, sizeof(blob))),
                     0);
    assert_int_equal(db_get_i64(f->db, &id, "SELECT max(id) FROM t"), 0);
    assert_int_equal(id, 1);
    assert_int_equal(db_changes(f->db), 1);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (name, n, data) VALUES (?, ?, ?)", DB_NULL,
                             DB_INT(-7), DB_NULL),
                     0);
    assert_int_equal(db_get_i64(f->db, &id,
                                "INSERT INTO t (name, n, data) VALUES (?, ?, ?) RETURNING id",
                                DB_TEXTN(long_name, 5), DB_BOOL(true), DB_BLOB(NULL, 0)),
                     0);
    assert_int_equal(id, 3);

    q = db_query(f->db, "SELECT id, name, n, data FROM t ORDER BY id"); /* 0 1 2 3 */
    while (db_row(q)) {
        rows++;
        assert_int_equal(db_i64(q, 0), rows);
        switch (rows) {
        case 1:
            assert_string_equal(db_text(q, 1), "alpha");
            assert_true(db_i64(q, 2) == INT64_MAX);
            data = db_blob(q, 3, &len);
            assert_int_equal(len, sizeof(blob));
            assert_memory_equal(data, blob, sizeof(blob));
            break;
        case 2:
            assert_true(db_is_null(q, 1));
            assert_string_equal(db_text(q, 1), "");
            assert_int_equal(db_i64(q, 2), -7);
            assert_true(db_is_null(q, 3));
            break;
        case 3:
            assert_string_equal(db_text(q, 1), "hello");
            assert_int_equal(db_i64(q, 2), 1);
            assert_true(db_is_null(q, 3));
            break;
        }
    }
    assert_int_equal(db_end(q), 0);
    assert_int_equal(rows, 3);

    assert_int_equal(db_exec(f->db, "UPDATE t SET n = n + 1 WHERE id >= ?", DB_I64(2)), 0);
    assert_int_equal(db_changes(f->db), 2);
    assert_int_equal(db_exec(f->db, "DELETE FROM t WHERE id > ?", DB_I64(100)), 0);
    assert_int_equal(db_changes(f->db), 0);
    assert_int_equal(db_live_count(f->db), 0);
}

/* Each argument type, its boundaries, and what comes back. */
static void test_typed_binding(void **state)
{
    struct fixture *f = *state;
    static const unsigned char bytes[] = {0x00, 0xff, 0x00, 'a', 0x80, 0x7f, '\\', 'x', 0xff};
    static const char not_terminated[4] = {'a', 'b', 'c', 'd'}; /* no NUL */
    static const int64_t ints[] = {
        INT64_MIN,     INT64_MIN + 1, -1, 0, 1, INT32_MAX, (int64_t)INT32_MAX + 1,
        INT64_MAX - 1, INT64_MAX};
    struct arena a;
    struct stmt *q;
    char *text = NULL;
    const void *data;
    size_t len = 0;
    int64_t out = 0;

    arena_init(&a);
    /* Integers: stored and read back, and echoed by a bare placeholder. */
    for (size_t i = 0; i < ARRAY_SIZE(ints); i++) {
        assert_int_equal(db_exec(f->db, "INSERT INTO t (id, n) VALUES (?, ?)",
                                 DB_I64((int64_t)i + 1), DB_I64(ints[i])),
                         0);
        assert_int_equal(
            db_get_i64(f->db, &out, "SELECT n FROM t WHERE id = ?", DB_I64((int64_t)i + 1)), 0);
        assert_true(out == ints[i]);
        assert_int_equal(db_get_i64(f->db, &out, "SELECT n FROM t WHERE n = ?", DB_I64(ints[i])),
                         0);
        assert_true(out == ints[i]);
    }
    assert_int_equal(db_get_i64(f->db, &out, "SELECT min(n) FROM t"), 0);
    assert_true(out == INT64_MIN);
    assert_int_equal(db_get_i64(f->db, &out, "SELECT max(n) FROM t"), 0);
    assert_true(out == INT64_MAX);
    assert_int_equal(db_exec(f->db, "DELETE FROM t"), 0);

    /* Text with an explicit length: only those bytes, even without a NUL after them. */
    assert_int_equal(
        db_exec(f->db, "INSERT INTO t (id, name) VALUES (1, ?)", DB_TEXTN("hello world", 5)), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id, name) VALUES (2, ?)",
                             DB_TEXTN(not_terminated, sizeof(not_terminated))),
                     0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id, name) VALUES (3, ?)", DB_TEXTN("xyz", 0)),
                     0);
    assert_int_equal(db_get_text(f->db, &a, &text, "SELECT name FROM t WHERE id = 1"), 0);
    assert_string_equal(text, "hello");
    assert_int_equal(db_get_text(f->db, &a, &text, "SELECT name FROM t WHERE id = 2"), 0);
    assert_string_equal(text, "abcd");
    /* An empty string is not NULL. */
    assert_int_equal(db_get_text(f->db, &a, &text, "SELECT name FROM t WHERE id = 3"), 0);
    assert_non_null(text);
    assert_string_equal(text, "");
    assert_int_equal(
        db_get_i64(f->db, &out, "SELECT count(*) FROM t WHERE name = ?", DB_TEXT("hello")), 0);
    assert_int_equal(out, 1);
    /* UTF-8 survives both ways. */
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id, name) VALUES (4, ?)",
                             DB_TEXT("\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x9d")),
                     0);
    assert_int_equal(db_get_text(f->db, &a, &text, "SELECT name FROM t WHERE id = 4"), 0);
    assert_string_equal(text, "\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x9d");

    /* NULL text, from DB_TEXT(NULL) and DB_NULL, into a text column. */
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id, name) VALUES (5, ?)", DB_TEXT(NULL)), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id, name) VALUES (6, ?)", DB_NULL), 0);
    assert_int_equal(db_get_i64(f->db, &out, "SELECT count(*) FROM t WHERE name IS NULL"), 0);
    assert_int_equal(out, 2);
    assert_int_equal(db_get_text(f->db, &a, &text, "SELECT name FROM t WHERE id = 5"), 0);
    assert_null(text);

    /* Blobs: every byte value that text handling could mangle, and the empty blob. */
    assert_int_equal(
        db_exec(f->db, "INSERT INTO t (id, data) VALUES (7, ?)", DB_BLOB(bytes, sizeof(bytes))), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id, data) VALUES (8, ?)", DB_BLOB(bytes, 0)),
                     0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id, data) VALUES (9, ?)", DB_BLOB(NULL, 0)), 0);
    q = db_query(f->db, "SELECT id, data FROM t WHERE id >= 7 ORDER BY id"); /* 0 1 */
    assert_true(db_row(q));
    assert_false(db_is_null(q, 1));
    data = db_blob(q, 1, &len);
    assert_int_equal(len, sizeof(bytes));
    assert_memory_equal(data, bytes, sizeof(bytes));
    assert_true(db_row(q));
    assert_int_equal(db_i64(q, 0), 8);
    assert_false(db_is_null(q, 1));
    data = db_blob(q, 1, &len);
    assert_int_equal(len, 0);
    assert_true(db_row(q));
    assert_int_equal(db_i64(q, 0), 9);
    assert_true(db_is_null(q, 1));
    assert_false(db_row(q));
    assert_int_equal(db_end(q), 0);
    /* A blob parameter compares by bytes. */
    assert_int_equal(
        db_get_i64(f->db, &out, "SELECT id FROM t WHERE data = ?", DB_BLOB(bytes, sizeof(bytes))),
        0);
    assert_int_equal(out, 7);
    assert_int_equal(db_live_count(f->db), 0);
    arena_clear(&a);
}

/*
 * db.h: "a NULL pointer binds SQL NULL".  SQL NULL fits a column of any
 * type, whatever the macro that carried it.
 */
static void test_null_pointer_any_column(void **state)
{
    struct fixture *f = *state;
    int64_t out = 0;

    assert_int_equal(db_exec(f->db, "INSERT INTO t (id, data) VALUES (1, ?)", DB_TEXT(NULL)), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id, name) VALUES (2, ?)", DB_BLOB(NULL, 0)), 0);
    assert_int_equal(db_exec(f->db, "UPDATE t SET data = ? WHERE id = 2", DB_TEXTN(NULL, 0)), 0);
    assert_int_equal(
        db_get_i64(f->db, &out, "SELECT count(*) FROM t WHERE name IS NULL AND data IS NULL"), 0);
    assert_int_equal(out, 2);
}

/*
 * A cached statement run first with NULL arguments, then with values: each
 * run answers by its own arguments.  PostgreSQL prepares a cached statement
 * at its first run (db_pg.c); a NULL there has no type of its own, so the
 * server infers one from the SQL, which later values must still fit.
 */
static int64_t count_matching(struct db *db, struct db_arg arg)
{
    int64_t out = -1;

    /* "? IS NULL" alone gives PostgreSQL no type: portable SQL names it. */
    assert_int_equal(db_get_i64(db, &out,
                                "SELECT count(*) FROM t WHERE (CAST(? AS BIGINT) IS NULL OR n = ?)",
                                arg, arg),
                     0);
    return out;
}

static int64_t below_or_default(struct db *db, struct db_arg arg)
{
    int64_t out = -1;

    /* A cursor with a default, as pagination writes it: coalesce(NULL, 15) is an int4 there. */
    assert_int_equal(db_get_i64(db, &out, "SELECT count(*) FROM t WHERE n < coalesce(?, 15)", arg),
                     0);
    return out;
}

static void test_null_then_value(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(db_exec(f->db, "INSERT INTO t (id, n) VALUES (1, 10), (2, 20)"), 0);
    assert_int_equal(count_matching(f->db, DB_NULL), 2);
    assert_int_equal(count_matching(f->db, DB_I64(20)), 1);
    assert_int_equal(count_matching(f->db, DB_I64(INT64_MAX)), 0);
    assert_int_equal(below_or_default(f->db, DB_NULL), 1);
    /* coalesce(?, 15) made the server type the placeholder int4 at its first (NULL) use. */
    assert_int_equal(below_or_default(f->db, DB_I64(1000000)), 2);
    assert_int_equal(below_or_default(f->db, DB_I64(11)), 1);
    assert_int_equal(db_live_count(f->db), 0);
}

static void test_get_one_value(void **state)
{
    struct fixture *f = *state;
    struct arena a;
    int64_t out = 42;
    char *text = NULL;

    arena_init(&a);
    assert_int_equal(db_get_i64(f->db, &out, "SELECT n FROM t WHERE id = ?", DB_I64(1)),
                     ERR_NOTFOUND);
    assert_int_equal(out, 42);
    assert_int_equal(db_get_text(f->db, &a, &text, "SELECT name FROM t WHERE id = ?", DB_I64(1)),
                     ERR_NOTFOUND);
    assert_null(text);

    assert_int_equal(db_exec(f->db, "INSERT INTO t (id, name, n) VALUES (1, 'one', 11)"), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id, name, n) VALUES (2, NULL, 22)"), 0);
    assert_int_equal(db_get_i64(f->db, &out, "SELECT n FROM t WHERE id = ?", DB_I64(1)), 0);
    assert_int_equal(out, 11);
    assert_int_equal(db_get_text(f->db, &a, &text, "SELECT name FROM t WHERE id = ?", DB_I64(1)),
                     0);
    assert_string_equal(text, "one");
    assert_int_equal(db_get_text(f->db, &a, &text, "SELECT name FROM t WHERE id = ?", DB_I64(2)),
                     0);
    assert_null(text);
    arena_clear(&a);
}

static void test_errors(void **state)
{
    struct fixture *f = *state;
    struct stmt *q;

    assert_int_equal(
        db_exec(f->db, "INSERT INTO t (id, name) VALUES (?, ?)", DB_I64(1), DB_TEXT("dup")), 0);
    /* UNIQUE and PRIMARY KEY both mean "exists already". */
    assert_int_equal(
        db_exec(f->db, "INSERT INTO t (id, name) VALUES (?, ?)", DB_I64(2), DB_TEXT("dup")),
        ERR_EXISTS);
    assert_int_equal(
        db_exec(f->db, "INSERT INTO t (id, name) VALUES (?, ?)", DB_I64(1), DB_TEXT("other")),
        ERR_EXISTS);
    /* Other constraints are database errors. */
    assert_int_equal(db_exec(f->db, "INSERT INTO t (name, n) VALUES ('x', NULL)"), ERR_DB);

    /* A prepare error gives a statement all the same, which reports it. */
    q = db_query(f->db, "SELECT nothing FROM no_such_table WHERE x = ?", DB_I64(1));
    assert_non_null(q);
    assert_false(db_row(q));
    assert_false(db_row(q));
    assert_int_equal(db_end(q), ERR_DB);
    assert_int_equal(db_get_i64(f->db, &(int64_t){0}, "SELEC 1"), ERR_DB);
    /* Double-quoted strings are identifiers, as in PostgreSQL. */
    assert_int_equal(db_exec(f->db, "INSERT INTO t (name) VALUES (\"quoted\")"), ERR_DB);
    /* After all that the connection still works, outside any transaction. */
    assert_int_equal(f->db->backend->tx_state(f->db), DB_TX_IDLE);
    assert_int_equal(count_rows(f->db), 1);
    assert_int_equal(db_live_count(f->db), 0);
}

/* One call site, so every call uses the same literal. */
static struct stmt *select_ids_after(struct db *db, int64_t after)
{
    return db_query(db, "SELECT id FROM t WHERE id > ? ORDER BY id", DB_I64(after));
}

/* The cache hands out the same handle again (SQLite: a handle is a sqlite3_stmt). */
static void test_statement_cache(void **state)
{
    struct fixture *f = *state;
    struct stmt *outer, *inner;
    const void *cached;
    int outer_rows = 0, inner_rows = 0;

    for (int i = 1; i <= 3; i++)
        assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (?)", DB_I64(i)), 0);

    outer = select_ids_after(f->db, 0);
    cached = db_stmt_handle(outer);
    assert_non_null(cached);
    assert_int_equal(db_end(outer), 0);
    outer = select_ids_after(f->db, 1);
    assert_ptr_equal(db_stmt_handle(outer), cached);
    assert_true(db_row(outer));
    assert_int_equal(db_i64(outer, 0), 2);
    assert_int_equal(db_end(outer), 0); /* ended before its last row: reset for the next use */

    /* The same SQL nested inside itself: the inner query gets a statement of its own. */
    outer = select_ids_after(f->db, 0);
    assert_ptr_equal(db_stmt_handle(outer), cached);
    while (db_row(outer)) {
        outer_rows++;
        inner = select_ids_after(f->db, db_i64(outer, 0));
        assert_ptr_not_equal(db_stmt_handle(inner), cached);
        assert_int_equal(db_live_count(f->db), 2);
        while (db_row(inner))
            inner_rows++;
        assert_int_equal(db_end(inner), 0);
    }
    assert_int_equal(db_end(outer), 0);
    assert_int_equal(outer_rows, 3);
    assert_int_equal(inner_rows, 2 + 1 + 0);

    outer = select_ids_after(f->db, 0);
    assert_ptr_equal(db_stmt_handle(outer), cached);
    assert_int_equal(db_end(outer), 0);
    assert_int_equal(db_live_count(f->db), 0);
}

/*
 * The same SQL nested in itself, three deep, with a write in the loop: each
 * level reads its own rows, and the cached statement serves again after.
 */
static void test_nested_same_sql(void **state)
{
    struct fixture *f = *state;
    struct stmt *outer, *middle, *inner;
    int outer_rows = 0, middle_rows = 0, inner_rows = 0;
    int64_t n = 0;

    for (int i = 1; i <= 4; i++)
        assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (?)", DB_I64(i)), 0);
    outer = select_ids_after(f->db, 0);
    while (db_row(outer)) {
        int64_t id = db_i64(outer, 0);

        outer_rows++;
        assert_int_equal(id, outer_rows);
        middle = select_ids_after(f->db, id);
        while (db_row(middle)) {
            middle_rows++;
            inner = select_ids_after(f->db, db_i64(middle, 0));
            assert_int_equal(db_live_count(f->db), 3);
            while (db_row(inner))
                inner_rows++;
            assert_int_equal(db_end(inner), 0);
        }
        assert_int_equal(db_end(middle), 0);
        assert_int_equal(db_exec(f->db, "UPDATE t SET n = n + 1 WHERE id = ?", DB_I64(id)), 0);
        /* The outer row stays readable after the nested statements and the write. */
        assert_int_equal(db_i64(outer, 0), id);
    }
    assert_int_equal(db_end(outer), 0);
    assert_int_equal(outer_rows, 4);
    assert_int_equal(middle_rows, 3 + 2 + 1);
    assert_int_equal(inner_rows, (2 + 1) + 1 + 0);
    assert_int_equal(db_get_i64(f->db, &n, "SELECT sum(n) FROM t"), 0);
    assert_int_equal(n, 4);

    /* Ended early at every level, then used again from the top. */
    outer = select_ids_after(f->db, 0);
    assert_true(db_row(outer));
    inner = select_ids_after(f->db, 0);
    assert_true(db_row(inner));
    assert_int_equal(db_end(inner), 0);
    assert_int_equal(db_end(outer), 0);
    outer = select_ids_after(f->db, 2);
    assert_true(db_row(outer));
    assert_int_equal(db_i64(outer, 0), 3);
    assert_int_equal(db_end(outer), 0);
    assert_int_equal(db_live_count(f->db), 0);
}

/*
 * ===== The PostgreSQL rewriting of SQL =====
 */

/* '?' inside string literals, quoted identifiers and comments is not a placeholder. */
static void test_placeholders_in_literals(void **state)
{
    struct fixture *f = *state;
    struct arena a;
    char *text = NULL;
    int64_t out = 0;

    arena_init(&a);
    assert_int_equal(db_exec_script(f->db, "CREATE TABLE q (\"a?b\" INTEGER, c TEXT)"), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO q (\"a?b\", c) VALUES (?, '?')", DB_I64(7)), 0);
    assert_int_equal(
        db_get_i64(f->db, &out, "SELECT \"a?b\" FROM q WHERE c = '?' AND \"a?b\" = ?", DB_I64(7)),
        0);
    assert_int_equal(out, 7);
    assert_int_equal(
        db_get_text(f->db, &a, &text, "SELECT '?' || ? || 'it''s ?' || '' || '?\?'", DB_TEXT("x")),
        0);
    assert_string_equal(text, "?xit's ???");
    assert_int_equal(db_get_text(f->db, &a, &text,
                                 "SELECT c /* a ? in a comment, 'and a quote */"
                                 " FROM q -- another ? and ' here\n"
                                 " WHERE \"a?b\" = ? /* ? */",
                                 DB_I64(7)),
                     0);
    assert_string_equal(text, "?");
    /* Placeholders on both sides of literals keep their order. */
    assert_int_equal(db_get_text(f->db, &a, &text, "SELECT ? || '?' || ? || '-- ?' || ?",
                                 DB_TEXT("1"), DB_TEXT("2"), DB_TEXT("3")),
                     0);
    assert_string_equal(text, "1?2-- ?3");
    /* A line comment at the very end, without a newline. */
    assert_int_equal(db_get_i64(f->db, &out, "SELECT ? -- is it ?", DB_I64(5)), 0);
    assert_int_equal(out, 5);
    arena_clear(&a);
}

/* SELECT … FOR UPDATE SKIP LOCKED through the "pg:" comment (db.h). */
static struct stmt *first_unlocked(struct db *db)
{
    return db_query(db, "SELECT id FROM t ORDER BY id LIMIT 1 /*pg: FOR UPDATE SKIP LOCKED*/");
}

static void test_pg_comment(void **state)
{
    struct fixture *f = *state;
    struct stmt *q;
    int64_t id = 0;

    for (int i = 1; i <= 3; i++)
        assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (?)", DB_I64(i)), 0);
    assert_int_equal(db_tx_begin(f->db), 0);
    q = first_unlocked(f->db);
    assert_true(db_row(q));
    assert_int_equal(db_i64(q, 0), 1);
    assert_int_equal(db_end(q), 0);
    if (f->is_pg) {
        /* The comment is SQL here: a second connection skips the locked row. */
        struct db *other = NULL;

        assert_int_equal(db_open(f->target.s, &other), 0);
        assert_int_equal(db_tx_begin(other), 0);
        q = first_unlocked(other);
        assert_true(db_row(q));
        assert_int_equal(db_i64(q, 0), 2);
        assert_int_equal(db_end(q), 0);
        assert_int_equal(db_tx_commit(other), 0);
        db_close(other);
    }
    assert_int_equal(db_exec(f->db, "UPDATE t SET n = 1 WHERE id = 1"), 0);
    assert_int_equal(db_tx_commit(f->db), 0);
    /* Outside a transaction too, and the comment does not hide what follows it. */
    assert_int_equal(db_get_i64(f->db, &id,
                                "SELECT id FROM t WHERE n = ? /*pg: AND TRUE*/ ORDER BY id",
                                DB_I64(1)),
                     0);
    assert_int_equal(id, 1);
    assert_int_equal(db_live_count(f->db), 0);
}

/*
 * ===== Transactions and read-only =====
 */

static void test_transactions(void **state)
{
    struct fixture *f = *state;
    int64_t n = 0;

    /* Nested commits: only the outermost one commits. */
    assert_int_equal(db_tx_begin(f->db), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (1)"), 0);
    assert_int_equal(db_tx_begin(f->db), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (2)"), 0);
    assert_int_equal(db_tx_commit(f->db), 0);
    assert_int_equal(f->db->backend->tx_state(f->db), DB_TX_OPEN);
    assert_int_equal(db_tx_commit(f->db), 0);
    assert_int_equal(f->db->backend->tx_state(f->db), DB_TX_IDLE);
    assert_int_equal(count_rows(f->db), 2);

    /* An outermost rollback undoes everything. */
    assert_int_equal(db_tx_begin(f->db), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (3)"), 0);
    db_tx_rollback(f->db);
    assert_int_equal(f->db->backend->tx_state(f->db), DB_TX_IDLE);
    assert_int_equal(count_rows(f->db), 2);

    /* An inner rollback dooms the whole transaction: the outer commit refuses. */
    assert_int_equal(db_tx_begin(f->db), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (4)"), 0);
    assert_int_equal(db_tx_begin(f->db), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (5)"), 0);
    db_tx_rollback(f->db);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (6)"), 0);
    assert_int_equal(db_tx_commit(f->db), ERR_DB);
    assert_int_equal(f->db->backend->tx_state(f->db), DB_TX_IDLE);
    assert_int_equal(count_rows(f->db), 2);
    /* A doomed transaction does not doom the next one. */
    assert_int_equal(db_tx_begin(f->db), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (4)"), 0);
    assert_int_equal(db_tx_commit(f->db), 0);
    assert_int_equal(count_rows(f->db), 3);

    assert_int_equal(db_tx_begin(f->db), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (7)"), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (7)"), ERR_EXISTS);
    if (!f->is_pg) {
        /* SQLite: a failed statement leaves the rest of the transaction committable. */
        assert_int_equal(db_tx_commit(f->db), 0);
        assert_int_equal(count_rows(f->db), 4);
    } else {
        /*
         * PostgreSQL: the error ended the transaction; what follows fails, and the
         * commit reports it, rolls back and leaves the connection idle and usable.
         */
        assert_int_equal(f->db->backend->tx_state(f->db), DB_TX_FAILED);
        assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (8)"), ERR_DB);
        assert_int_equal(db_get_i64(f->db, &n, "SELECT count(*) FROM t"), ERR_DB);
        assert_int_equal(db_tx_commit(f->db), ERR_DB);
        assert_int_equal(f->db->backend->tx_state(f->db), DB_TX_IDLE);
        assert_int_equal(count_rows(f->db), 3);
        assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (7)"), 0);
        assert_int_equal(count_rows(f->db), 4);

        /* The same, nested: the error inside an inner level, the outer one commits. */
        assert_int_equal(db_tx_begin(f->db), 0);
        assert_int_equal(db_tx_begin(f->db), 0);
        assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (7)"), ERR_EXISTS);
        assert_int_equal(db_tx_commit(f->db), 0);
        assert_int_equal(db_tx_commit(f->db), ERR_DB);
        assert_int_equal(f->db->backend->tx_state(f->db), DB_TX_IDLE);
        /* And a rollback after the error is quiet and leaves it idle. */
        assert_int_equal(db_tx_begin(f->db), 0);
        assert_int_equal(db_exec(f->db, "INSERT INTO t (name, n) VALUES ('x', NULL)"), ERR_DB);
        db_tx_rollback(f->db);
        assert_int_equal(f->db->backend->tx_state(f->db), DB_TX_IDLE);
    }
    /* Either way the connection goes on. */
    assert_int_equal(db_tx_begin(f->db), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (9)"), 0);
    assert_int_equal(db_tx_commit(f->db), 0);
    assert_int_equal(count_rows(f->db), 5);
    assert_int_equal(db_live_count(f->db), 0);
}

static void test_read_only(void **state)
{
    struct fixture *f = *state;
    int64_t n = 0;

    assert_int_equal(db_exec(f->db, "INSERT INTO t (id, n) VALUES (1, 10)"), 0);
    assert_int_equal(db_set_read_only(f->db, true), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (2)"), ERR_DB);
    assert_int_equal(db_exec(f->db, "UPDATE t SET n = 0"), ERR_DB);
    assert_int_equal(db_exec(f->db, "DELETE FROM t"), ERR_DB);
    assert_int_equal(db_get_i64(f->db, &n, "SELECT n FROM t WHERE id = 1"), 0);
    assert_int_equal(n, 10);
    /* A read-only transaction is a snapshot, not a write lock, and refuses writes too. */
    assert_int_equal(db_tx_begin(f->db), 0);
    assert_int_equal(count_rows(f->db), 1);
    assert_int_equal(db_tx_commit(f->db), 0);
    assert_int_equal(db_tx_begin(f->db), 0);
    assert_int_equal(db_exec(f->db, "UPDATE t SET n = 0"), ERR_DB);
    db_tx_rollback(f->db);
    assert_int_equal(f->db->backend->tx_state(f->db), DB_TX_IDLE);

    assert_int_equal(db_set_read_only(f->db, false), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (2)"), 0);
    assert_int_equal(count_rows(f->db), 2);
    assert_int_equal(db_get_i64(f->db, &n, "SELECT n FROM t WHERE id = 1"), 0);
    assert_int_equal(n, 10);
}

/*
 * ===== Pool =====
 */

#define POOL_THREADS 4
#define POOL_ROUNDS 50

struct pool_run {
    struct db_pool *pool;
    atomic_int borrowed;     /* connections out right now */
    atomic_int max_borrowed; /* the most ever out at once */
    atomic_int failures;
};

static void *pool_worker(void *arg)
{
    struct pool_run *run = arg;

    for (int i = 0; i < POOL_ROUNDS; i++) {
        struct db *db = db_pool_acquire(run->pool);
        int now = atomic_fetch_add(&run->borrowed, 1) + 1;
        int max = atomic_load(&run->max_borrowed);
        int64_t n = 0;

        while (now > max && !atomic_compare_exchange_weak(&run->max_borrowed, &max, now))
            ;
        /* Read then write: FOR UPDATE on PostgreSQL, where BEGIN takes no write lock. */
        if (db_tx_begin(db) < 0 ||
            db_get_i64(db, &n, "SELECT n FROM t WHERE id = 1 /*pg: FOR UPDATE*/") < 0 ||
            db_exec(db, "UPDATE t SET n = ? WHERE id = 1", DB_I64(n + 1)) < 0 ||
            db_tx_commit(db) < 0)
            atomic_fetch_add(&run->failures, 1);
        if (i % 10 == 0)
            db_set_read_only(db, true); /* left set on purpose: release clears it */
        atomic_fetch_sub(&run->borrowed, 1);
        db_pool_release(run->pool, db);
    }
    return NULL;
}

static void test_pool_threads(void **state)
{
    struct fixture *f = *state;
    struct pool_run run = {0};
    pthread_t threads[POOL_THREADS];
    struct db *db;
    int64_t n = 0;

    assert_int_equal(db_exec(f->db, "INSERT INTO t (id, n) VALUES (1, 0)"), 0);
    assert_int_equal(db_pool_open(f->target.s, 2, &run.pool), 0);
    for (int i = 0; i < POOL_THREADS; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, pool_worker, &run), 0);
    for (int i = 0; i < POOL_THREADS; i++)
        assert_int_equal(pthread_join(threads[i], NULL), 0);
    assert_int_equal(atomic_load(&run.failures), 0);
    assert_true(atomic_load(&run.max_borrowed) <= 2);
    assert_int_equal(db_get_i64(f->db, &n, "SELECT n FROM t WHERE id = 1"), 0);
    assert_int_equal(n, POOL_THREADS * POOL_ROUNDS);

    /* A transaction left open is rolled back on release; read-only is cleared. */
    db = db_pool_acquire(run.pool);
    assert_int_equal(db_tx_begin(db), 0);
    assert_int_equal(db_exec(db, "INSERT INTO t (id) VALUES (99)"), 0);
    db_pool_release(run.pool, db);
    db = db_pool_acquire(run.pool);
    assert_int_equal(db->backend->tx_state(db), DB_TX_IDLE);
    assert_int_equal(count_rows(db), 1);
    assert_int_equal(db_exec(db, "INSERT INTO t (id) VALUES (100)"), 0);
    db_pool_release(run.pool, db);
    /* The same after a statement failed inside the forgotten transaction. */
    db = db_pool_acquire(run.pool);
    assert_int_equal(db_tx_begin(db), 0);
    assert_int_equal(db_exec(db, "INSERT INTO t (id) VALUES (101)"), 0);
    assert_int_equal(db_exec(db, "INSERT INTO t (id) VALUES (100)"), ERR_EXISTS);
    db_pool_release(run.pool, db);
    db = db_pool_acquire(run.pool);
    assert_int_equal(db->backend->tx_state(db), DB_TX_IDLE);
    assert_int_equal(count_rows(db), 2);
    db_pool_release(run.pool, db);
    db_pool_close(run.pool);
    assert_int_equal(count_rows(f->db), 2);
}

/*
 * ===== Migrations =====
 */

static size_t embedded_migrations(void)
{
    size_t n = 0;

    for (size_t i = 0; i < builtin_count; i++)
        n += strncmp(builtin_files[i].name, "migrations/", 11) == 0;
    return n;
}

static void test_migrate(void **state)
{
    struct fixture *f = *state;
    int64_t applied = 0, first_ms = 0, again_ms = 0, accounts = -1;

    assert_true(embedded_migrations() >= 1);
    assert_int_equal(db_migrate(f->db), 0);
    assert_int_equal(db_get_i64(f->db, &accounts, "SELECT count(*) FROM account"), 0);
    assert_int_equal(accounts, 0);
    assert_int_equal(db_get_i64(f->db, &applied, "SELECT count(*) FROM schema_migration"), 0);
    assert_int_equal(applied, embedded_migrations());
    assert_int_equal(db_get_i64(f->db, &first_ms, "SELECT sum(applied_ms) FROM schema_migration"),
                     0);
    assert_int_equal(db_exec(f->db, "INSERT INTO account (email, name, name_folded, created_ms)"
                                    " VALUES ('a@example.org', 'A', 'a', 1)"),
                     0);

    /* A second run applies nothing and keeps the data. */
    assert_int_equal(db_migrate(f->db), 0);
    assert_int_equal(db_get_i64(f->db, &applied, "SELECT count(*) FROM schema_migration"), 0);
    assert_int_equal(applied, embedded_migrations());
    assert_int_equal(db_get_i64(f->db, &again_ms, "SELECT sum(applied_ms) FROM schema_migration"),
                     0);
    assert_int_equal(again_ms, first_ms);
    assert_int_equal(db_get_i64(f->db, &accounts, "SELECT count(*) FROM account"), 0);
    assert_int_equal(accounts, 1);
    /* The identity column of a migrated table numbers new rows on both engines. */
    assert_int_equal(db_get_i64(f->db, &accounts,
                                "INSERT INTO account (email, name, name_folded, created_ms)"
                                " VALUES ('b@example.org', 'B', 'b', 2) RETURNING id"),
                     0);
    assert_int_equal(accounts, 2);
    assert_int_equal(f->db->backend->tx_state(f->db), DB_TX_IDLE);

    /* A database from a newer program is refused. */
    assert_int_equal(db_exec(f->db, "INSERT INTO schema_migration (version, name, applied_ms)"
                                    " VALUES (9999, 'future', 0)"),
                     0);
    assert_int_equal(db_migrate(f->db), ERR_DB);
}

/*
 * ===== PostgreSQL: a connection the server drops =====
 */

/*
 * The server ends a pooled connection (as on a restart or a failover): the
 * next statement fails with ERR_BUSY, and the pool re-establishes the
 * connection when it lends it again, with its cached statements prepared
 * anew on the new session.
 */
static void test_pg_connection_lost(void **state)
{
    struct fixture *f = *state;
    struct db_pool *pool = NULL;
    struct db *db;
    int64_t pid = 0, pid_again = 0, n = 0;

    assert_int_equal(db_exec(f->db, "INSERT INTO t (id, n) VALUES (1, 5)"), 0);
    assert_int_equal(db_pool_open(f->target.s, 1, &pool), 0);
    db = db_pool_acquire(pool);
    assert_int_equal(db_get_i64(db, &pid, "SELECT pg_backend_pid()"), 0);
    assert_int_equal(db_get_i64(db, &n, "SELECT n FROM t WHERE id = ?", DB_I64(1)), 0);
    assert_int_equal(db_set_read_only(db, true), 0);
    db_pool_release(pool, db);

    assert_int_equal(
        db_get_i64(f->db, &n, "SELECT count(*) FROM pg_stat_activity WHERE pid = ?", DB_I64(pid)),
        0);
    assert_int_equal(n, 1);
    assert_int_equal(db_exec(f->db, "SELECT pg_terminate_backend(CAST(? AS INTEGER))", DB_I64(pid)),
                     0);
    /* Wait (bounded) until the server has really closed it. */
    for (int i = 0; i < 100; i++) {
        assert_int_equal(db_get_i64(f->db, &n,
                                    "SELECT count(*) FROM pg_stat_activity WHERE pid = ?",
                                    DB_I64(pid)),
                         0);
        if (n == 0)
            break;
        nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    }
    assert_int_equal(n, 0);

    /* libpq learns of it at the next statement: a 503, not a 500 nor a crash. */
    db = db_pool_acquire(pool);
    assert_int_equal(db_get_i64(db, &n, "SELECT n FROM t WHERE id = ?", DB_I64(1)), ERR_BUSY);
    db_pool_release(pool, db);

    /* Lent again: reconnected, read-write, and the cached statement works. */
    db = db_pool_acquire(pool);
    assert_int_equal(db_get_i64(db, &n, "SELECT n FROM t WHERE id = ?", DB_I64(1)), 0);
    assert_int_equal(n, 5);
    assert_int_equal(db_get_i64(db, &pid_again, "SELECT pg_backend_pid()"), 0);
    assert_true(pid_again != pid);
    assert_int_equal(db_exec(db, "UPDATE t SET n = 6 WHERE id = 1"), 0);
    assert_int_equal(db_tx_begin(db), 0);
    assert_int_equal(db_exec(db, "UPDATE t SET n = n + 1 WHERE id = 1"), 0);
    assert_int_equal(db_tx_commit(db), 0);
    db_pool_release(pool, db);
    db_pool_close(pool);
    assert_int_equal(db_get_i64(f->db, &n, "SELECT n FROM t WHERE id = 1"), 0);
    assert_int_equal(n, 7);
}

/*
 * ===== Misuse is a BUG() =====
 */

static void misuse_arg_count(struct db *db)
{
    db_exec(db, "SELECT ?", DB_I64(1), DB_I64(2));
}

static void misuse_arg_count_literal(struct db *db)
{
    db_exec(db, "SELECT '?', ?", DB_I64(1), DB_I64(2));
}

static void misuse_two_statements(struct db *db)
{
    db_exec(db, "SELECT 1; SELECT 2");
}

static void misuse_commit_without_begin(struct db *db)
{
    db_tx_commit(db);
}

static void misuse_rollback_without_begin(struct db *db)
{
    db_tx_rollback(db);
}

static void misuse_column_without_row(struct db *db)
{
    struct stmt *q = db_query(db, "SELECT 1 WHERE 1 = 0");

    db_row(q);
    db_i64(q, 0);
}

static void misuse_column_out_of_range(struct db *db)
{
    struct stmt *q = db_query(db, "SELECT 1");

    db_row(q);
    db_i64(q, 1);
}

static void misuse_statement_not_ended(struct db *db)
{
    db_query(db, "SELECT 1");
    db_reset_session(db); /* what db_pool_release() does */
}

struct misuse {
    const char *name;
    void (*run)(struct db *db);
    bool debug_only;  /* a BUG() only when NDEBUG is not defined */
    bool sqlite_only; /* PostgreSQL refuses it with an error instead */
};

static const struct misuse misuses[] = {
    {"arg-count", misuse_arg_count, false, false},
    {"arg-count-literal", misuse_arg_count_literal, false, false},
    {"two-statements", misuse_two_statements, false, true},
    {"commit-without-begin", misuse_commit_without_begin, false, false},
    {"rollback-without-begin", misuse_rollback_without_begin, false, false},
    {"column-without-row", misuse_column_without_row, false, false},
    {"column-out-of-range", misuse_column_out_of_range, false, false},
    {"statement-not-ended", misuse_statement_not_ended, true, false},
};

static void test_misuse_aborts(void **state)
{
    struct fixture *f = *state;

    for (size_t i = 0; i < ARRAY_SIZE(misuses); i++) {
        pid_t pid;
        int status = 0;

#ifdef NDEBUG
        if (misuses[i].debug_only)
            continue;
#endif
        if (misuses[i].sqlite_only && f->is_pg)
            continue;
        fflush(NULL);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            struct db *db = NULL;
            int devnull = open("/dev/null", O_WRONLY);

            /* A connection of the child's own: connections do not cross fork(). */
            if (devnull >= 0)
                dup2(devnull, STDERR_FILENO);
            if (db_open(f->target.s, &db) < 0)
                _exit(3);
            misuses[i].run(db);
            _exit(0);
        }
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
            fail_msg("misuse \"%s\" did not abort (status %d)", misuses[i].name, status);
    }
}

#define BOTH_TESTS(setup)                                                                          \
    cmocka_unit_test_setup_teardown(test_insert_and_query, setup, teardown),                       \
        cmocka_unit_test_setup_teardown(test_typed_binding, setup, teardown),                      \
        cmocka_unit_test_setup_teardown(test_null_pointer_any_column, setup, teardown),            \
        cmocka_unit_test_setup_teardown(test_null_then_value, setup, teardown),                    \
        cmocka_unit_test_setup_teardown(test_get_one_value, setup, teardown),                      \
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),                             \
        cmocka_unit_test_setup_teardown(test_nested_same_sql, setup, teardown),                    \
        cmocka_unit_test_setup_teardown(test_placeholders_in_literals, setup, teardown),           \
        cmocka_unit_test_setup_teardown(test_pg_comment, setup, teardown),                         \
        cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),                       \
        cmocka_unit_test_setup_teardown(test_read_only, setup, teardown),                          \
        cmocka_unit_test_setup_teardown(test_pool_threads, setup, teardown),                       \
        cmocka_unit_test_setup_teardown(test_migrate, setup, teardown),                            \
        cmocka_unit_test_setup_teardown(test_misuse_aborts, setup, teardown)

int main(void)
{
    const struct CMUnitTest sqlite_tests[] = {
        BOTH_TESTS(setup_sqlite),
        cmocka_unit_test_setup_teardown(test_statement_cache, setup_sqlite, teardown),
    };
    const struct CMUnitTest pg_tests[] = {
        BOTH_TESTS(setup_pg),
        cmocka_unit_test_setup_teardown(test_pg_connection_lost, setup_pg, teardown),
    };
    int failed;

    pg_url = getenv("RUCHE_TEST_PG");
    if (pg_url && !*pg_url)
        pg_url = NULL;
    failed = cmocka_run_group_tests_name("db on SQLite", sqlite_tests, NULL, NULL);
    if (!pg_url) {
        fprintf(stderr, "RUCHE_TEST_PG not set: the PostgreSQL run of these tests is skipped\n");
        return failed;
    }
    failed += cmocka_run_group_tests_name("db on PostgreSQL", pg_tests, NULL, NULL);
    return failed;
}
