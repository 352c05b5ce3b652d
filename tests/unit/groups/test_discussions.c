/*
 * test_discussions.c - the pure rules of groups/discussions.c: the list
 * cursor ("MS-ID"), the title and body checks (lengths counted in
 * characters, control characters, surrounding spaces) and who may reply,
 * edit, delete, resolve and follow, for members, animators, outsiders,
 * administrators and archived communities.  Cases are tables with ids.
 */
#include "core/str.h"
#include "groups/discussions.h"

#include <setjmp.h>

#include <cmocka.h>

static void test_cursor(void **state)
{
    static const struct {
        const char *id, *text;
        bool ok;
        int64_t ms, cid;
    } cases[] = {
        {"null", NULL, true, 0, 0},
        {"empty", "", true, 0, 0},
        {"plain", "1767225600000-31", true, 1767225600000, 31},
        {"one-one", "1-1", true, 1, 1},
        {"no-dash", "1767225600000", false, 0, 0},
        {"no-ms", "-31", false, 0, 0},
        {"no-id", "1767225600000-", false, 0, 0},
        {"zero-id", "5-0", false, 0, 0},
        {"zero-ms", "0-5", false, 0, 0},
        {"negative-id", "5--3", false, 0, 0},
        {"letters", "12a-3", false, 0, 0},
        {"trailing", "12-3x", false, 0, 0},
        {"space", "12- 3", false, 0, 0},
        {"overflow", "99999999999999999999-3", false, 0, 0},
        {"two-dashes", "1-2-3", false, 0, 0},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct discussion_cursor c = {.ms = 99, .id = 99};
        bool ok = discussions_cursor_parse(cases[i].text, &c);
        if (ok != cases[i].ok || c.ms != cases[i].ms || c.id != cases[i].cid)
            fail_msg("cursor case %s: ok %d ms %lld id %lld", cases[i].id, ok, (long long)c.ms,
                     (long long)c.id);
    }
}

static void test_cursor_round_trip(void **state)
{
    struct arena a;
    struct discussion_cursor in = {.ms = 1767225600123, .id = 4242}, out;

    (void)state;
    arena_init(&a);
    assert_true(discussions_cursor_parse(discussions_cursor_text(&a, &in), &out));
    assert_int_equal(out.ms, in.ms);
    assert_int_equal(out.id, in.id);
    arena_clear(&a);
}

/* s repeated n times, in arena memory. */
static const char *repeat(struct arena *a, const char *s, size_t n)
{
    struct buf b;

    buf_init_arena(&b, a);
    for (size_t i = 0; i < n; i++)
        buf_addstr(&b, s);
    return b.s;
}

static void test_check(void **state)
{
    struct arena a;

    (void)state;
    arena_init(&a);
    const struct {
        const char *id, *title, *body;
        const char *field; /* NULL: valid */
    } cases[] = {
        {"ok", "Une question", "Un texte", NULL},
        {"title-only", "Un titre", NULL, NULL},
        {"body-only", NULL, "Un texte", NULL},
        {"title-empty", "", "x", "title"},
        {"title-spaces", "   ", "x", "title"},
        {"title-200", repeat(&a, "é", 200), "x", NULL},
        {"title-201", repeat(&a, "é", 201), "x", "title"},
        {"title-200-padded", arena_printf(&a, "  %s  ", repeat(&a, "é", 200)), "x", NULL},
        {"title-newline", "deux\nlignes", "x", "title"},
        {"title-tab", "a\tb", "x", "title"},
        {"title-del", "a\x7f", "x", "title"},
        {"title-c1", "a\xc2\x85", "x", "title"},
        {"title-bad-utf8", "a\xff", "x", "title"},
        {"title-first", "", "", "title"},
        {"body-empty", "T", "", "body"},
        {"body-spaces", "T", " \n\t ", "body"},
        {"body-10000", "T", repeat(&a, "à", 10000), NULL},
        {"body-10001", "T", repeat(&a, "à", 10001), "body"},
        {"body-newlines", "T", "ligne\r\nligne\tfin", NULL},
        {"body-nul-like", "T", "a\x01", "body"},
        {"body-bad-utf8", "T", "\xc3", "body"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const char *field = NULL, *problem = NULL;
        int rc = discussions_check(cases[i].title, cases[i].body, &field, &problem);
        if (cases[i].field == NULL
                ? rc != 0
                : rc != ERR_INVALID || !field || strcmp(field, cases[i].field) != 0 || !problem)
            fail_msg("check case %s: rc %d field %s", cases[i].id, rc, field ? field : "-");
    }
    arena_clear(&a);
}

static void test_rights(void **state)
{
    static const struct viewer author = {.id = 1, .role = ROLE_MEMBER};
    static const struct viewer other = {.id = 2, .role = ROLE_MEMBER};
    static const struct viewer admin = {.id = 3, .role = ROLE_ADMIN};
    const struct community member = {
        .standing = GROUPS_MEMBER, .can_read = true, .can_write = true};
    const struct community animator = {
        .standing = GROUPS_ANIMATOR, .can_read = true, .can_write = true, .can_manage = true};
    const struct community reader = {.standing = GROUPS_NONE, .can_read = true};
    const struct community archived = {
        .standing = GROUPS_ANIMATOR, .can_read = true, .archived_ms = 1};
    struct discussion open = {.author = {.id = 1}},
                      locked = {.author = {.id = 1}, .is_locked = true};

    (void)state;
    assert_true(discussions_may_reply(&member, &open));
    assert_false(discussions_may_reply(&member, &locked));
    assert_false(discussions_may_reply(&animator, &locked));
    assert_false(discussions_may_reply(&reader, &open));
    assert_false(discussions_may_reply(&archived, &open));

    assert_true(discussions_may_edit(&author, &member, 1));
    assert_false(discussions_may_edit(&other, &member, 1));
    assert_false(discussions_may_edit(&other, &animator, 1));
    assert_false(discussions_may_edit(&author, &archived, 1));

    assert_true(discussions_may_delete(&author, &member, 1));
    assert_false(discussions_may_delete(&other, &member, 1));
    assert_true(discussions_may_delete(&other, &animator, 1));
    assert_true(discussions_may_delete(&admin, &reader, 1));
    assert_false(discussions_may_delete(&author, &archived, 1));
    assert_false(discussions_may_delete(&admin, &archived, 1));

    assert_true(discussions_may_resolve(&author, &member, &open));
    assert_false(discussions_may_resolve(&other, &member, &open));
    assert_true(discussions_may_resolve(&other, &animator, &open));
    assert_false(discussions_may_resolve(&author, &archived, &open));

    assert_true(discussions_may_subscribe(&reader));
    assert_false(discussions_may_subscribe(&archived));
    assert_true(strstr(discussions_denied_reason(&archived), "archivée") != NULL);
    assert_true(strstr(discussions_denied_reason(&reader), "Rejoignez") != NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cursor),
        cmocka_unit_test(test_cursor_round_trip),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_rights),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
