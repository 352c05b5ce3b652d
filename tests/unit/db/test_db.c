/*
 * test_db.c - unit tests of src/db: db.h on SQLite, the statement cache,
 * transactions, the pool and the embedded migrations.
 *
 * Each test gets a fresh database file in its own mkdtemp() directory
 * under /tmp, removed by the teardown.  Misuses that must be a BUG() run in
 * a forked child, which is expected to die of SIGABRT.
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
#include <unistd.h>

#include <cmocka.h>

struct fixture {
    char dir[64];    /* the mkdtemp() directory */
    struct buf path; /* dir + "/test.db" */
    struct db *db;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    snprintf(f->dir, sizeof(f->dir), "/tmp/ruche-test-db-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    buf_init(&f->path);
    buf_addf(&f->path, "%s/test.db", f->dir);
    assert_int_equal(db_open(f->path.s, &f->db), 0);
    assert_int_equal(db_exec(f->db, "CREATE TABLE t ("
                                    " id INTEGER PRIMARY KEY,"
                                    " name TEXT UNIQUE,"
                                    " n INTEGER NOT NULL DEFAULT 0,"
                                    " data BLOB)"),
                     0);
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
    assert_int_equal(nftw(f->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS), 0);
    buf_release(&f->path);
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
                                DB_TEXTN(long_name, 5), DB_BOOL(true), DB_TEXT(NULL)),
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
    assert_int_equal(count_rows(f->db), 1);
    assert_int_equal(db_live_count(f->db), 0);
}

/* One call site, so every call uses the same literal. */
static struct stmt *select_ids_after(struct db *db, int64_t after)
{
    return db_query(db, "SELECT id FROM t WHERE id > ? ORDER BY id", DB_I64(after));
}

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
 * ===== Transactions and read-only =====
 */

static void test_transactions(void **state)
{
    struct fixture *f = *state;

    /* Nested commits: only the outermost one commits. */
    assert_int_equal(db_tx_begin(f->db), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (1)"), 0);
    assert_int_equal(db_tx_begin(f->db), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (2)"), 0);
    assert_int_equal(db_tx_commit(f->db), 0);
    assert_int_equal(db_tx_commit(f->db), 0);
    assert_int_equal(count_rows(f->db), 2);

    /* An outermost rollback undoes everything. */
    assert_int_equal(db_tx_begin(f->db), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (3)"), 0);
    db_tx_rollback(f->db);
    assert_int_equal(count_rows(f->db), 2);

    /* An inner rollback dooms the whole transaction: the outer commit refuses. */
    assert_int_equal(db_tx_begin(f->db), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (4)"), 0);
    assert_int_equal(db_tx_begin(f->db), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (5)"), 0);
    db_tx_rollback(f->db);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (6)"), 0);
    assert_int_equal(db_tx_commit(f->db), ERR_DB);
    assert_int_equal(count_rows(f->db), 2);

    /* A failed statement inside a transaction leaves the rest committable. */
    assert_int_equal(db_tx_begin(f->db), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (7)"), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (7)"), ERR_EXISTS);
    assert_int_equal(db_tx_commit(f->db), 0);
    assert_int_equal(count_rows(f->db), 3);
}

static void test_read_only(void **state)
{
    struct fixture *f = *state;
    int64_t n = 0;

    assert_int_equal(db_exec(f->db, "INSERT INTO t (id, n) VALUES (1, 10)"), 0);
    assert_int_equal(db_set_read_only(f->db, true), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (2)"), ERR_DB);
    assert_int_equal(db_exec(f->db, "UPDATE t SET n = 0"), ERR_DB);
    assert_int_equal(db_get_i64(f->db, &n, "SELECT n FROM t WHERE id = 1"), 0);
    assert_int_equal(n, 10);
    /* A read-only transaction is a snapshot, not a write lock. */
    assert_int_equal(db_tx_begin(f->db), 0);
    assert_int_equal(count_rows(f->db), 1);
    assert_int_equal(db_tx_commit(f->db), 0);

    assert_int_equal(db_set_read_only(f->db, false), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t (id) VALUES (2)"), 0);
    assert_int_equal(count_rows(f->db), 2);
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
        if (db_tx_begin(db) < 0 || db_get_i64(db, &n, "SELECT n FROM t WHERE id = 1") < 0 ||
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
    assert_int_equal(db_pool_open(f->path.s, 2, &run.pool), 0);
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
    assert_int_equal(count_rows(db), 1);
    assert_int_equal(db_exec(db, "INSERT INTO t (id) VALUES (100)"), 0);
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

    /* A database from a newer program is refused. */
    assert_int_equal(db_exec(f->db, "INSERT INTO schema_migration (version, name, applied_ms)"
                                    " VALUES (9999, 'future', 0)"),
                     0);
    assert_int_equal(db_migrate(f->db), ERR_DB);
}

/*
 * ===== Misuse is a BUG() =====
 */

static void misuse_arg_count(struct db *db)
{
    db_exec(db, "SELECT ?", DB_I64(1), DB_I64(2));
}

static void misuse_two_statements(struct db *db)
{
    db_exec(db, "SELECT 1; SELECT 2");
}

static void misuse_commit_without_begin(struct db *db)
{
    db_tx_commit(db);
}

static void misuse_column_without_row(struct db *db)
{
    struct stmt *q = db_query(db, "SELECT 1 WHERE 0");

    db_row(q);
    db_i64(q, 0);
}

static void misuse_statement_not_ended(struct db *db)
{
    db_query(db, "SELECT 1");
    db_reset_session(db); /* what db_pool_release() does */
}

struct misuse {
    const char *name;
    void (*run)(struct db *db);
    bool debug_only; /* a BUG() only when NDEBUG is not defined */
};

static const struct misuse misuses[] = {
    {"arg-count", misuse_arg_count, false},
    {"two-statements", misuse_two_statements, false},
    {"commit-without-begin", misuse_commit_without_begin, false},
    {"column-without-row", misuse_column_without_row, false},
    {"statement-not-ended", misuse_statement_not_ended, true},
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
        fflush(NULL);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            struct db *db = NULL;
            int devnull = open("/dev/null", O_WRONLY);

            /* A connection of the child's own: SQLite connections do not cross fork(). */
            if (devnull >= 0)
                dup2(devnull, STDERR_FILENO);
            if (db_open(f->path.s, &db) < 0)
                _exit(3);
            misuses[i].run(db);
            _exit(0);
        }
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
            fail_msg("misuse \"%s\" did not abort (status %d)", misuses[i].name, status);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_insert_and_query, setup, teardown),
        cmocka_unit_test_setup_teardown(test_get_one_value, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_statement_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pool_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_misuse_aborts, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
