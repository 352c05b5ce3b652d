/*
 * test_directory.c - the directory's name index and search
 * (people/people_directory.c).
 *
 * people_name_words() gets a table of names: accents and case, hyphens and
 * apostrophes (ASCII and typographic) with their joined forms, no-break and
 * other Unicode spaces, duplicates, scripts it does not fold, a sequence cut
 * short at the end, and the word limit.
 *
 * people_directory() runs on a real database with the embedded migrations:
 * on SQLite, each test in its own mkdtemp() directory, then on PostgreSQL
 * when $RUCHE_TEST_PG names a server that may create databases (one per
 * test, dropped by the teardown; skipped with a line on stderr otherwise).
 * It checks that each query word must start some word of the name, in any
 * order, ignoring case and accents; that results come sorted by name and
 * that pages by key neither skip nor repeat anybody, even a member with
 * several words starting with the query word; that too many words
 * are refused; that renamed and deactivated members leave the index; that
 * the backfill of migration 0008 indexes accounts made before it; and that
 * a filter on a field hidden from the viewer matches nobody.
 */
#include "core/arena.h"
#include "core/buf.h"
#include "auth/auth.h"
#include "db/db.h"
#include "db/db_internal.h"
#include "people/name_index.h"
#include "people/people.h"

#include <ftw.h>
#include <setjmp.h>
#include <unistd.h>

#include <cmocka.h>

/* ---- words ------------------------------------------------------------------- */

static void test_words(void **state)
{
    static const struct {
        const char *id, *name;
        bool joined;
        const char *words; /* space-separated, in order */
    } cases[] = {
        {"accents-case", "Hélène MARTIN", true, "helene martin"},
        {"hyphen-joined", "Jean-Pierre Dupont", true, "jean pierre jeanpierre dupont"},
        {"hyphen-query", "Jean-Pierre Dupont", false, "jean pierre dupont"},
        {"apostrophe", "Seán O'Neil", true, "sean o neil oneil"},
        {"typographic-apostrophe",
         "Jeanne d\xe2\x80\x99"
         "Arc",
         true, "jeanne d arc darc"},
        {"no-break-space", "Anne\xc2\xa0Lefèvre", true, "anne lefevre"},
        {"thin-space-and-dash", "Ana\xe2\x80\xafRuiz\xe2\x80\x93Soto", true,
         "ana ruiz soto ruizsoto"},
        {"duplicates", "Jean Jean jean", true, "jean"},
        {"spaces-only", "  \t ", true, ""},
        {"punctuation-only", "- ' . ,", true, ""},
        {"empty", "", true, ""},
        {"ligature", "Œdipe Cœur", true, "oedipe coeur"},
        {"cjk-kept", "李 小龍", true, "李 小龍"},
        {"digits", "Agent 007", true, "agent 007"},
        {"latin1-symbol", "a×b", true, "a b ab"},
        {"cut-short", "Zoé \xc3", true, "zoe \xc3"},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct arena a;
        struct buf got = BUF_INIT;
        const char **words;
        size_t n;

        arena_init(&a);
        n = people_name_words(&a, cases[i].name, cases[i].joined, &words);
        for (size_t k = 0; k < n; k++)
            buf_addf(&got, "%s%s", k ? " " : "", words[k]);
        if (strcmp(got.s ? got.s : "", cases[i].words) != 0)
            fail_msg("words case %s: got \"%s\", want \"%s\"", cases[i].id, got.s ? got.s : "",
                     cases[i].words);
        buf_release(&got);
        arena_clear(&a);
    }
}

static void test_words_limit(void **state)
{
    struct arena a;
    struct buf name = BUF_INIT;
    const char **words;

    (void)state;
    arena_init(&a);
    for (int i = 0; i < 100; i++)
        buf_addf(&name, "w%d ", i);
    assert_int_equal(people_name_words(&a, name.s, true, &words), PEOPLE_NAME_WORDS_MAX);
    assert_string_equal(words[0], "w0");
    assert_string_equal(words[PEOPLE_NAME_WORDS_MAX - 1], "w63");
    buf_release(&name);
    arena_clear(&a);
}

/* ---- the search, on a database ---------------------------------------------------- */

static const char *pg_url; /* $RUCHE_TEST_PG, or NULL */
static unsigned pg_databases;

struct fixture {
    bool is_pg;
    char dir[64], dbname[64];
    struct buf target;
    struct db *admin, *db;
    int64_t ids[16];
    struct arena a;
};

/* The members of every test, in the directory's (folded name) order. */
static const char *const members[] = {
    "Agnès Marchand", "Anne-Marie Martin", "Hélène Dubois", "Hélène Martin", "Jean-Pierre O'Neil",
    "Marc Hélie",     "Marie Dubois",      "Martine Petit", "Zoé Marchal",
};

static void members_create(struct fixture *f)
{
    for (size_t i = 0; i < ARRAY_SIZE(members); i++) {
        char email[64];
        snprintf(email, sizeof(email), "m%zu@example.test", i);
        assert_int_equal(
            auth_account_create(
                f->db,
                &(struct account_new){.email = email, .name = members[i], .role = ROLE_MEMBER},
                &f->ids[i]),
            0);
    }
}

static int fixture_open(struct fixture *f)
{
    assert_int_equal(db_open(f->target.s, &f->db), 0);
    assert_int_equal(db_migrate(f->db), 0);
    arena_init(&f->a);
    members_create(f);
    return 0;
}

static int setup_sqlite(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    snprintf(f->dir, sizeof(f->dir), "/tmp/ruche-test-directory-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    buf_init(&f->target);
    buf_addf(&f->target, "%s/test.db", f->dir);
    *state = f;
    return fixture_open(f);
}

static int setup_pg(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    const char *authority, *path, *query;
    struct buf sql = BUF_INIT;

    assert_non_null(f);
    f->is_pg = true;
    snprintf(f->dbname, sizeof(f->dbname), "ruche_unit_dir_%ld_%u", (long)getpid(), ++pg_databases);
    assert_int_equal(db_open(pg_url, &f->admin), 0);
    buf_addf(&sql, "CREATE DATABASE %s", f->dbname);
    assert_int_equal(db_exec_script(f->admin, sql.s), 0);
    buf_release(&sql);
    /* The same URL with its path replaced by the new database's name. */
    authority = strstr(pg_url, "://");
    assert_non_null(authority);
    authority += 3;
    path = authority + strcspn(authority, "/?#");
    query = path + strcspn(path, "?#");
    buf_init(&f->target);
    buf_add(&f->target, pg_url, (size_t)(path - pg_url));
    buf_addf(&f->target, "/%s%s", f->dbname, query);
    *state = f;
    return fixture_open(f);
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

    arena_clear(&f->a);
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

static const struct viewer admin = {.id = 999999, .role = ROLE_ADMIN};

/* The names a query finds (all pages of size page), joined by "|"; ERR_* as "!ERR". */
static const char *found(struct fixture *f, const char *q, size_t page)
{
    struct buf out = BUF_INIT;
    struct people_filter filter = {.q = q};
    char *result;

    do {
        struct person_summary *items;
        size_t len;
        int64_t next;
        int rc = people_directory(f->db, &f->a, &admin, &filter, page, &items, &len, &next);
        if (rc < 0) {
            buf_release(&out);
            return rc == ERR_TOOBIG ? "!TOOBIG" : "!ERR";
        }
        for (size_t i = 0; i < len; i++)
            buf_addf(&out, "%s%s", out.len ? "|" : "", items[i].name);
        filter.after_id = next;
    } while (filter.after_id);
    result = arena_strdup(&f->a, out.s ? out.s : "");
    buf_release(&out);
    return result;
}

static void test_search(void **state)
{
    static const struct {
        const char *id, *q, *names;
    } cases[] = {
        {"first-word", "helene", "Hélène Dubois|Hélène Martin"},
        {"prefix-of-any-word", "hel", "Hélène Dubois|Hélène Martin|Marc Hélie"},
        {"any-word", "mar",
         "Agnès Marchand|Anne-Marie Martin|Hélène Martin|Marc Hélie|Marie Dubois|Martine Petit|"
         "Zoé Marchal"},
        {"two-words", "hel mar", "Hélène Martin|Marc Hélie"},
        {"two-words-any-order", "martin helene", "Hélène Martin"},
        {"accents-typed", "HÉLÈNE dùbois", "Hélène Dubois"},
        {"no-accents-typed", "helene", "Hélène Dubois|Hélène Martin"},
        {"whole-word", "martine", "Martine Petit"},
        {"implied-word", "mar martin", "Anne-Marie Martin|Hélène Martin|Martine Petit"},
        {"hyphen-part", "marie", "Anne-Marie Martin|Marie Dubois"},
        {"hyphen-typed", "anne-marie", "Anne-Marie Martin"},
        {"hyphen-joined", "annemarie", "Anne-Marie Martin"},
        {"apostrophe-joined", "oneil", "Jean-Pierre O'Neil"},
        {"not-inside-a-word", "ene", ""},
        {"no-match", "zzz", ""},
        {"one-word-misses", "helene zzz", ""},
        {"blank-is-everyone", "  ",
         "Agnès Marchand|Anne-Marie Martin|Hélène Dubois|Hélène Martin|Jean-Pierre O'Neil|"
         "Marc Hélie|Marie Dubois|Martine Petit|Zoé Marchal"},
        {"eight-words", "a b c d e f g h", ""},
        {"nine-words", "a b c d e f g h i", "!TOOBIG"},
        {"nine-with-implied", "m ma mar marc marchand a ag agn agnes", "Agnès Marchand"},
        {"not-utf8", "h\xff", ""},
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const char *got = found(f, cases[i].q, 30);
        if (strcmp(got, cases[i].names) != 0)
            fail_msg("search case %s: got \"%s\", want \"%s\"", cases[i].id, got, cases[i].names);
    }
}

static void test_pagination(void **state)
{
    struct fixture *f = *state;
    int64_t id;
    const char *all;

    /* Four words starting with "mar": four rows of the index in a row for one member. */
    assert_int_equal(auth_account_create(f->db,
                                         &(struct account_new){.email = "mmmm@example.test",
                                                               .name = "Marc Marcel Marceau Mars",
                                                               .role = ROLE_MEMBER},
                                         &id),
                     0);
    all = found(f, "mar", 30);
    assert_string_equal(all, "Agnès Marchand|Anne-Marie Martin|Hélène Martin|Marc Hélie|"
                             "Marc Marcel Marceau Mars|Marie Dubois|Martine Petit|Zoé Marchal");
    /* Pages of 1, 2 and 3 give the same list: nobody skipped or repeated. */
    for (size_t page = 1; page <= 3; page++)
        assert_string_equal(found(f, "mar", page), all);
    for (size_t page = 1; page <= 4; page++)
        assert_string_equal(found(f, NULL, page), found(f, NULL, 30));
}

static void test_renamed_and_deactivated(void **state)
{
    struct fixture *f = *state;
    const char *bad = NULL;

    /* Hélène Martin becomes Hélène Girard: "martin" no longer finds her. */
    assert_int_equal(people_profile_save(f->db, f->ids[3],
                                         &(struct profile_update){.name = "  Hélène Girard "},
                                         &bad),
                     0);
    assert_string_equal(found(f, "martin", 30), "Anne-Marie Martin|Martine Petit");
    assert_string_equal(found(f, "gir", 30), "Hélène Girard");
    assert_string_equal(found(f, "helene", 2), "Hélène Dubois|Hélène Girard");
    /* Deactivated: gone from every search; back when activated again. */
    assert_int_equal(auth_account_set_active(f->db, f->ids[2], false), 0);
    assert_string_equal(found(f, "dubois", 30), "Marie Dubois");
    assert_int_equal(auth_account_set_active(f->db, f->ids[2], true), 0);
    assert_string_equal(found(f, "dubois", 30), "Hélène Dubois|Marie Dubois");
}

static void test_backfill(void **state)
{
    struct fixture *f = *state;
    int64_t pending = -1;

    /* As migration 0008 leaves an older database: no words, every account pending. */
    assert_int_equal(db_exec(f->db, "DELETE FROM person_word"), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO person_word_pending(account_id)"
                                    " SELECT id FROM account"),
                     0);
    assert_string_equal(found(f, "hel", 30), "");
    assert_int_equal(people_name_index_backfill(f->db), 0);
    assert_string_equal(found(f, "hel", 30), "Hélène Dubois|Hélène Martin|Marc Hélie");
    assert_int_equal(db_get_i64(f->db, &pending, "SELECT COUNT(*) FROM person_word_pending"), 0);
    assert_int_equal(pending, 0);
    /* Nothing left to do: a second run changes nothing. */
    assert_int_equal(people_name_index_backfill(f->db), 0);
    assert_string_equal(found(f, "oneil", 30), "Jean-Pierre O'Neil");
}

static void test_hidden_filter(void **state)
{
    struct fixture *f = *state;
    const struct viewer member = {.id = f->ids[0], .role = ROLE_MEMBER};
    struct people_filter filter = {.q = "martin", .department = "Compta"};
    struct person_summary *items;
    const char *bad = NULL;
    size_t len;
    int64_t next;

    assert_int_equal(people_profile_save(f->db, f->ids[1],
                                         &(struct profile_update){.department = "Compta"}, &bad),
                     0);
    assert_int_equal(
        people_profile_save(
            f->db, f->ids[3],
            &(struct profile_update){.department = "Compta", .vis[PEOPLE_FIELD_DEPARTMENT] = "me"},
            &bad),
        0);
    /* A member sees only the department shown to everyone; an administrator both. */
    assert_int_equal(people_directory(f->db, &f->a, &member, &filter, 30, &items, &len, &next), 0);
    assert_int_equal(len, 1);
    assert_string_equal(items[0].name, "Anne-Marie Martin");
    assert_int_equal(people_directory(f->db, &f->a, &admin, &filter, 30, &items, &len, &next), 0);
    assert_int_equal(len, 2);
    assert_string_equal(items[1].department, "Compta");
}

static void test_profiles(void **state)
{
    struct fixture *f = *state;
    struct people_filter filter = {.q = "dubois"};
    struct profile *items;
    const char *bad = NULL;
    const char *skills[] = {"Comptabilité", "Audit"};
    size_t len;
    int64_t next;

    assert_int_equal(people_profile_save(f->db, f->ids[6],
                                         &(struct profile_update){.skills = skills,
                                                                  .skills_len = 2,
                                                                  .has_skills = true,
                                                                  .phone = "01 23 45 67 89"},
                                         &bad),
                     0);
    assert_int_equal(people_follow(f->db, f->ids[2], f->ids[6]), 0);
    assert_int_equal(people_follow(f->db, f->ids[0], f->ids[6]), 0);
    assert_int_equal(
        people_directory_profiles(f->db, &f->a, &admin, &filter, 30, &items, &len, &next), 0);
    assert_int_equal(len, 2);
    assert_string_equal(items[0].name, "Hélène Dubois");
    assert_int_equal(items[0].skills_len, 0);
    assert_int_equal(items[0].following, 1);
    assert_string_equal(items[1].name, "Marie Dubois");
    assert_string_equal(items[1].phone, "01 23 45 67 89");
    assert_int_equal(items[1].skills_len, 2);
    assert_string_equal(items[1].skills[0], "Audit");
    assert_string_equal(items[1].skills[1], "Comptabilité");
    assert_int_equal(items[1].followers, 2);
}

#define DB_TESTS(setup)                                                                            \
    cmocka_unit_test_setup_teardown(test_search, setup, teardown),                                 \
        cmocka_unit_test_setup_teardown(test_pagination, setup, teardown),                         \
        cmocka_unit_test_setup_teardown(test_renamed_and_deactivated, setup, teardown),            \
        cmocka_unit_test_setup_teardown(test_backfill, setup, teardown),                           \
        cmocka_unit_test_setup_teardown(test_hidden_filter, setup, teardown),                      \
        cmocka_unit_test_setup_teardown(test_profiles, setup, teardown)

int main(void)
{
    const struct CMUnitTest sqlite_tests[] = {
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_words_limit),
        DB_TESTS(setup_sqlite),
    };
    const struct CMUnitTest pg_tests[] = {DB_TESTS(setup_pg)};
    int failed = cmocka_run_group_tests_name("directory (SQLite)", sqlite_tests, NULL, NULL);

    pg_url = getenv("RUCHE_TEST_PG");
    if (!pg_url || !*pg_url) {
        fprintf(stderr, "directory: RUCHE_TEST_PG is not set, PostgreSQL run skipped\n");
        return failed;
    }
    return failed + cmocka_run_group_tests_name("directory (PostgreSQL)", pg_tests, NULL, NULL);
}
