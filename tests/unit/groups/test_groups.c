/*
 * test_groups.c - the rules of groups/groups.c: visibility names, the
 * checks of a community's fields (lengths in characters, one-line name and
 * purpose), and, on a scratch SQLite database, groups_access()'s matrix of
 * who may know, read, write in and manage a community (public, private,
 * secret, archived; a member, an animator, a non-member, an invited
 * member, a guest, an administrator), the last animator, and
 * groups_share_community().  Cases are tables with ids.
 */
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "groups/groups.h"

#include <ftw.h>
#include <setjmp.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

static void test_visibility_names(void **state)
{
    static const struct {
        const char *id, *name;
        bool valid;
        enum groups_visibility v;
    } cases[] = {
        {"public", "public", true, GROUPS_PUBLIC},   {"private", "private", true, GROUPS_PRIVATE},
        {"secret", "secret", true, GROUPS_SECRET},   {"upper", "Public", false, GROUPS_PUBLIC},
        {"empty", "", false, GROUPS_PUBLIC},         {"null", NULL, false, GROUPS_PUBLIC},
        {"spaced", "public ", false, GROUPS_PUBLIC},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        enum groups_visibility v = GROUPS_SECRET;
        bool ok = groups_visibility_parse(cases[i].name, &v);
        if (ok != cases[i].valid)
            fail_msg("case %s", cases[i].id);
        if (ok)
            assert_string_equal(groups_visibility_name(v), cases[i].name);
    }
}

/* A string of n copies of the UTF-8 character c. */
static char *repeat(struct arena *a, const char *c, size_t n)
{
    struct buf b;

    buf_init_arena(&b, a);
    for (size_t i = 0; i < n; i++)
        buf_addstr(&b, c);
    return b.s;
}

static void test_fields_check(void **state)
{
    struct arena a;
    const char *field, *problem;

    (void)state;
    arena_init(&a);
    const struct {
        const char *id;
        struct groups_fields f;
        bool creating;
        int rc;
        const char *field;
    } cases[] = {
        {"ok", {"Vélo", "Rouler ensemble.", "", "public", NULL}, true, 0, NULL},
        {"no-purpose", {"Vélo", NULL, "", "public", NULL}, true, ERR_INVALID, "purpose"},
        {"blank-purpose", {"Vélo", "   ", "", "public", NULL}, true, ERR_INVALID, "purpose"},
        {"purpose-200", {"Vélo", repeat(&a, "é", 200), "", "public", NULL}, true, 0, NULL},
        {"purpose-201",
         {"Vélo", repeat(&a, "é", 201), "", "public", NULL},
         true,
         ERR_TOOBIG,
         "purpose"},
        {"purpose-newline",
         {"Vélo", "Une\nphrase", "", "public", NULL},
         true,
         ERR_INVALID,
         "purpose"},
        {"no-name", {NULL, "But.", "", "public", NULL}, true, ERR_INVALID, "name"},
        {"name-81", {repeat(&a, "n", 81), "But.", "", "public", NULL}, true, ERR_TOOBIG, "name"},
        {"name-tab", {"A\tB", "But.", "", "public", NULL}, true, ERR_INVALID, "name"},
        {"name-invalid-utf8", {"\xc3(", "But.", "", "public", NULL}, true, ERR_INVALID, "name"},
        {"description-lines", {"V", "B.", "Ligne 1\n\nLigne 2", "public", NULL}, true, 0, NULL},
        {"description-5001",
         {"V", "B.", repeat(&a, "d", 5001), "public", NULL},
         true,
         ERR_TOOBIG,
         "description"},
        {"bad-visibility", {"V", "B.", "", "open", NULL}, true, ERR_INVALID, "visibility"},
        {"no-visibility", {"V", "B.", "", NULL, NULL}, true, ERR_INVALID, "visibility"},
        {"edit-nothing", {NULL, NULL, NULL, NULL, NULL}, false, 0, NULL},
        {"edit-blank-name", {"  ", NULL, NULL, NULL, NULL}, false, ERR_INVALID, "name"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        int rc = groups_fields_check(&cases[i].f, cases[i].creating, &field, &problem);
        if (rc != cases[i].rc)
            fail_msg("case %s: rc %d", cases[i].id, rc);
        if (cases[i].field && (!field || strcmp(field, cases[i].field) != 0 || !problem))
            fail_msg("case %s: field %s", cases[i].id, field ? field : "(none)");
    }
    arena_clear(&a);
}

/* ---- on a database ---------------------------------------------------------------- */

struct fixture {
    char dir[64];
    struct buf path;
    struct db *db;
    struct arena a;
};

enum who { ADMIN, ANIMATOR, MEMBER, OTHER, INVITED, GUEST, GUEST_IN, PEOPLE };
static const char *const who_names[PEOPLE] = {"admin",   "animator", "member",  "other",
                                              "invited", "guest",    "guest-in"};
static const enum role who_roles[PEOPLE] = {ROLE_ADMIN,  ROLE_MEMBER, ROLE_MEMBER, ROLE_MEMBER,
                                            ROLE_MEMBER, ROLE_GUEST,  ROLE_GUEST};

static struct viewer viewer_of(enum who w)
{
    return (struct viewer){.id = (int64_t)w + 1, .role = who_roles[w], .name = who_names[w]};
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    snprintf(f->dir, sizeof(f->dir), "/tmp/ruche-test-groups-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    buf_init(&f->path);
    buf_addf(&f->path, "%s/test.db", f->dir);
    assert_int_equal(db_open(f->path.s, &f->db), 0);
    assert_int_equal(db_migrate(f->db), 0);
    arena_init(&f->a);
    for (int w = 0; w < PEOPLE; w++) {
        char email[64];
        snprintf(email, sizeof(email), "%s@example.test", who_names[w]);
        assert_int_equal(db_exec(f->db,
                                 "INSERT INTO account(id, email, name, name_folded, role,"
                                 " created_ms) VALUES (?, ?, ?, ?, ?, 1)",
                                 DB_I64(w + 1), DB_TEXT(email), DB_TEXT(who_names[w]),
                                 DB_TEXT(who_names[w]),
                                 DB_TEXT(who_roles[w] == ROLE_ADMIN   ? "admin"
                                         : who_roles[w] == ROLE_GUEST ? "guest"
                                                                      : "member")),
                         0);
    }
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
    nftw(f->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    buf_release(&f->path);
    arena_clear(&f->a);
    free(f);
    return 0;
}

/* A community of visibility vis animated by ANIMATOR, with MEMBER and GUEST_IN, INVITED
 * invited (the administrator creates it, then hands it over). */
static int64_t community_make(struct fixture *f, const char *name, const char *vis)
{
    struct viewer admin = viewer_of(ADMIN), anim;
    const char *field, *problem;
    int64_t id = 0;

    assert_int_equal(groups_create(f->db, &admin,
                                   &(struct groups_fields){name, "But.", "", vis, NULL}, &id,
                                   &field, &problem),
                     0);
    assert_int_equal(groups_member_add(f->db, &f->a, &admin, id, viewer_of(ANIMATOR).id, &problem),
                     0);
    assert_int_equal(
        groups_role_set(f->db, &f->a, &admin, id, viewer_of(ANIMATOR).id, true, &problem), 0);
    assert_int_equal(groups_member_remove(f->db, &f->a, &admin, id, admin.id, &problem), 0);
    anim = viewer_of(ANIMATOR);
    assert_int_equal(groups_member_add(f->db, &f->a, &anim, id, viewer_of(MEMBER).id, &problem), 0);
    assert_int_equal(groups_member_add(f->db, &f->a, &anim, id, viewer_of(GUEST_IN).id, &problem),
                     0);
    assert_int_equal(groups_invite(f->db, &f->a, &anim, id, viewer_of(INVITED).id, &problem), 0);
    return id;
}

/* Expected rights, as a string per viewer: '-' unknown (404), 'k' known only, 'r' reads,
 * 'w' writes, 'm' manages. */
static void check_matrix(struct fixture *f, int64_t id, const char *id_name,
                         const char *expect /* PEOPLE characters */)
{
    for (int w = 0; w < PEOPLE; w++) {
        struct viewer v = viewer_of((enum who)w);
        struct community c;
        int rc = groups_access(f->db, &f->a, &v, id, &c);
        char got = rc == ERR_NOTFOUND ? '-'
                   : c.can_manage     ? 'm'
                   : c.can_write      ? 'w'
                   : c.can_read       ? 'r'
                                      : 'k';
        if (rc < 0 && rc != ERR_NOTFOUND)
            fail_msg("%s/%s: rc %d", id_name, who_names[w], rc);
        if (got != expect[w])
            fail_msg("%s/%s: got %c, want %c", id_name, who_names[w], got, expect[w]);
    }
}

static void test_access_matrix(void **state)
{
    struct fixture *f = *state;
    int64_t pub = community_make(f, "Publique", "public");
    int64_t priv = community_make(f, "Privée", "private");
    int64_t secret = community_make(f, "Secrète", "secret");
    struct community c;
    struct viewer anon = {0};

    /*                       admin anim member other invited guest guest-in */
    check_matrix(f, pub, "public", "rmwrr-w");
    check_matrix(f, priv, "private", "kmwkk-w");
    check_matrix(f, secret, "secret", "-mw-k-w");
    assert_int_equal(groups_access(f->db, &f->a, &anon, pub, &c), ERR_NOTFOUND);
    assert_int_equal(groups_access(f->db, &f->a, &anon, 99999, &c), ERR_NOTFOUND);
    assert_int_equal(groups_archive(f->db, pub, true), 0);
    check_matrix(f, pub, "public-archived", "rrrrr-r");
    assert_int_equal(groups_archive(f->db, pub, false), 0);
    check_matrix(f, pub, "public-reopened", "rmwrr-w");
    assert_int_equal(groups_archive(f->db, 99999, true), ERR_NOTFOUND);
}

static void test_membership_rules(void **state)
{
    struct fixture *f = *state;
    int64_t id = community_make(f, "Règles", "private");
    struct viewer anim = viewer_of(ANIMATOR), member = viewer_of(MEMBER), other = viewer_of(OTHER);
    struct viewer invited = viewer_of(INVITED), guest = viewer_of(GUEST);
    enum groups_standing now;
    const char *problem;
    struct community c;

    /* The last animator stays. */
    assert_int_equal(groups_member_remove(f->db, &f->a, &anim, id, anim.id, &problem), ERR_EXISTS);
    assert_int_equal(groups_role_set(f->db, &f->a, &anim, id, anim.id, false, &problem),
                     ERR_EXISTS);
    assert_non_null(problem);
    /* A plain member manages nothing and may not invite a guest. */
    assert_int_equal(groups_member_remove(f->db, &f->a, &member, id, anim.id, &problem),
                     ERR_DENIED);
    assert_int_equal(groups_invite(f->db, &f->a, &member, id, guest.id, &problem), ERR_DENIED);
    /* A request to a private community, then approval. */
    assert_int_equal(groups_join(f->db, &f->a, &other, id, &now, &problem), 0);
    assert_int_equal(now, GROUPS_REQUESTED);
    assert_int_equal(groups_join(f->db, &f->a, &other, id, &now, &problem), ERR_EXISTS);
    assert_int_equal(groups_request_answer(f->db, &f->a, &anim, id, other.id, true, &problem), 0);
    assert_int_equal(groups_access(f->db, &f->a, &other, id, &c), 0);
    assert_true(c.can_write);
    /* The invitation is accepted by joining. */
    assert_int_equal(groups_join(f->db, &f->a, &invited, id, &now, &problem), 0);
    assert_int_equal(now, GROUPS_MEMBER);
    assert_int_equal(groups_access(f->db, &f->a, &anim, id, &c), 0);
    assert_int_equal(c.member_count, 5); /* animator, member, guest-in, other, invited */
    /* With a second animator the first may go. */
    assert_int_equal(groups_role_set(f->db, &f->a, &anim, id, member.id, true, &problem), 0);
    assert_int_equal(groups_member_remove(f->db, &f->a, &anim, id, anim.id, &problem), 0);
    assert_int_equal(groups_access(f->db, &f->a, &anim, id, &c), 0);
    assert_int_equal(c.standing, GROUPS_NONE);
    /* An unknown account is no member. */
    assert_int_equal(groups_member_add(f->db, &f->a, &member, id, 99999, &problem), ERR_INVALID);
}

static void test_share_community(void **state)
{
    struct fixture *f = *state;
    int64_t id = community_make(f, "Partage", "secret");
    struct viewer anim = viewer_of(ANIMATOR);
    const char *problem;

    (void)id;
    assert_true(groups_share_community(f->db, viewer_of(ANIMATOR).id, viewer_of(MEMBER).id));
    assert_false(groups_share_community(f->db, viewer_of(MEMBER).id, viewer_of(INVITED).id));
    assert_false(groups_share_community(f->db, viewer_of(MEMBER).id, viewer_of(OTHER).id));
    assert_false(groups_share_community(f->db, 0, viewer_of(MEMBER).id));
    assert_int_equal(groups_member_remove(f->db, &f->a, &anim, id, viewer_of(MEMBER).id, &problem),
                     0);
    assert_false(groups_share_community(f->db, viewer_of(ANIMATOR).id, viewer_of(MEMBER).id));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_visibility_names),
        cmocka_unit_test(test_fields_check),
        cmocka_unit_test_setup_teardown(test_access_matrix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_membership_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_share_community, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
