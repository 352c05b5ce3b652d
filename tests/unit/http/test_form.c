/*
 * test_form.c - strict urlencoded parsing (http/form.c): form_parse_urlencoded(),
 * kv_list_add()/kv_list_find(), and the streaming escape check urlenc_scan_feed().
 *
 * The parser must decode %XX and '+', skip empty pairs, keep duplicates in
 * order, give a field without '=' an empty value, and refuse malformed or
 * truncated escapes and anything that is not UTF-8 once decoded (NUL
 * included), naming the offending field.  Inputs are copied to a malloc'd
 * block of exactly n bytes, without a terminator, so that ASan catches any
 * read past the end.  The scanner must carry a pending escape across chunk
 * boundaries.
 *
 * Cases are tables with ids, so a failure names its case.
 */
#include "core/arena.h"
#include "http/http_internal.h"

#include <setjmp.h>

#include <cmocka.h>

#define MAX_PAIRS 5

struct pair {
    const char *name;
    const char *value;
};

struct parse_case {
    const char *id;
    const char *in;
    size_t n; /* 0: strlen(in) */
    int rc;
    const char *bad_field;       /* expected *bad_field on error; NULL for none */
    struct pair want[MAX_PAIRS]; /* on success; NULL name ends */
};

static void check_parse(const struct parse_case *c)
{
    struct arena a;
    struct kv_list list = {0};
    const char *bad = "untouched";
    size_t n = c->n ? c->n : strlen(c->in);
    char *in = malloc(n ? n : 1);
    int rc;

    assert_non_null(in);
    memcpy(in, c->in, n);
    arena_init(&a);
    rc = form_parse_urlencoded(&a, in, n, &list, &bad);
    free(in);
    if (rc != c->rc)
        fail_msg("case %s: rc %d, want %d", c->id, rc, c->rc);
    if (rc == 0 && bad != NULL)
        fail_msg("case %s: bad_field %s on success", c->id, bad);
    if (rc != 0) {
        if (!c->bad_field && bad)
            fail_msg("case %s: bad_field %s, want NULL", c->id, bad);
        if (c->bad_field && (!bad || strcmp(bad, c->bad_field) != 0))
            fail_msg("case %s: bad_field %s, want %s", c->id, bad ? bad : "NULL", c->bad_field);
    }
    if (rc == 0) {
        size_t want_len = 0;

        while (want_len < MAX_PAIRS && c->want[want_len].name)
            want_len++;
        if (list.len != want_len)
            fail_msg("case %s: %zu fields, want %zu", c->id, list.len, want_len);
        for (size_t i = 0; i < want_len; i++) {
            const struct pair *w = &c->want[i];
            const struct kv *kv = &list.items[i];
            size_t vlen = strlen(w->value);

            if (strcmp(kv->name, w->name) != 0)
                fail_msg("case %s: field %zu named \"%s\", want \"%s\"", c->id, i, kv->name,
                         w->name);
            if (kv->value_len != vlen || memcmp(kv->value, w->value, vlen) != 0 ||
                kv->value[vlen] != '\0')
                fail_msg("case %s: field %s = \"%.*s\", want \"%s\"", c->id, kv->name,
                         (int)kv->value_len, kv->value, w->value);
            if (kv->filename || kv->content_type)
                fail_msg("case %s: file metadata on a urlencoded field", c->id);
        }
    }
    arena_clear(&a);
}

static void test_parse(void **state)
{
    static const struct parse_case cases[] = {
        {"simple", "a=1&b=%C3%A9", 0, 0, NULL, {{"a", "1"}, {"b", "\xc3\xa9"}}},
        {"lowercase-hex", "b=%c3%a9", 0, 0, NULL, {{"b", "\xc3\xa9"}}},
        {"raw-utf8", "b=\xc3\xa9t\xc3\xa9", 0, 0, NULL, {{"b", "\xc3\xa9t\xc3\xa9"}}},
        {"plus-is-space", "q=hello+world", 0, 0, NULL, {{"q", "hello world"}}},
        {"plus-in-name", "a+b=1", 0, 0, NULL, {{"a b", "1"}}},
        {"encoded-plus", "a=%2B", 0, 0, NULL, {{"a", "+"}}},
        {"encoded-amp-eq", "a=%26&b=%3D", 0, 0, NULL, {{"a", "&"}, {"b", "="}}},
        {"encoded-percent", "a=%25", 0, 0, NULL, {{"a", "%"}}},
        {"encoded-name", "%61=1", 0, 0, NULL, {{"a", "1"}}},
        {"eq-in-value", "a=b=c", 0, 0, NULL, {{"a", "b=c"}}},
        {"empty-input", "", 0, 0, NULL, {{NULL}}},
        {"amp-only", "&&", 0, 0, NULL, {{NULL}}},
        {"empty-pairs-skipped", "&&a=1&&b=2&", 0, 0, NULL, {{"a", "1"}, {"b", "2"}}},
        {"no-eq", "a", 0, 0, NULL, {{"a", ""}}},
        {"no-eq-among-others", "x=1&flag&y=2", 0, 0, NULL, {{"x", "1"}, {"flag", ""}, {"y", "2"}}},
        {"empty-value", "a=", 0, 0, NULL, {{"a", ""}}},
        {"duplicates-in-order", "a=1&b=2&a=3", 0, 0, NULL, {{"a", "1"}, {"b", "2"}, {"a", "3"}}},
        {"crlf-decoded", "t=a%0D%0Ab", 0, 0, NULL, {{"t", "a\r\nb"}}},
        {"html-kept-as-text", "t=%3Cscript%3E", 0, 0, NULL, {{"t", "<script>"}}},
        {"n-limits-input", "a=1&b=2", 3, 0, NULL, {{"a", "1"}}},
        {"n-cuts-value", "a=12", 3, 0, NULL, {{"a", "1"}}},

        {"bad-hex", "a=%zz", 0, ERR_INVALID, "a", {{NULL}}},
        {"bad-second-hex", "a=%4g", 0, ERR_INVALID, "a", {{NULL}}},
        {"truncated-escape", "a=%4", 0, ERR_INVALID, "a", {{NULL}}},
        {"lone-percent", "a=%", 0, ERR_INVALID, "a", {{NULL}}},
        {"escape-cut-by-amp", "a=%4&b=1", 0, ERR_INVALID, "a", {{NULL}}},
        {"escape-cut-by-n", "a=%41", 4, ERR_INVALID, "a", {{NULL}}},
        {"invalid-utf8-FF", "a=%FF", 0, ERR_INVALID, "a", {{NULL}}},
        {"invalid-utf8-raw", "a=\xff", 0, ERR_INVALID, "a", {{NULL}}},
        {"overlong", "a=%C0%80", 0, ERR_INVALID, "a", {{NULL}}},
        {"surrogate", "a=%ED%A0%80", 0, ERR_INVALID, "a", {{NULL}}},
        {"truncated-utf8", "a=%C3", 0, ERR_INVALID, "a", {{NULL}}},
        {"utf8-split-by-amp", "a=%C3&b=%A9", 0, ERR_INVALID, "a", {{NULL}}},
        {"nul-escape", "a=x%00y", 0, ERR_INVALID, "a", {{NULL}}},
        {"raw-nul", "a=x\0y", 5, ERR_INVALID, "a", {{NULL}}},
        {"bad-second-field", "a=1&b=%zz", 0, ERR_INVALID, "b", {{NULL}}},
        {"bad-value-utf8-name", "%C3%A9t%C3%A9=%FF", 0, ERR_INVALID, "\xc3\xa9t\xc3\xa9", {{NULL}}},
        {"bad-name-escape", "%zz=1", 0, ERR_INVALID, NULL, {{NULL}}},
        {"bad-name-utf8", "%FF=1", 0, ERR_INVALID, NULL, {{NULL}}},
        {"bad-name-no-eq", "%4", 0, ERR_INVALID, NULL, {{NULL}}},
        {"bad-name-nul", "%00=1", 0, ERR_INVALID, NULL, {{NULL}}},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        check_parse(&cases[i]);
}

/* FORM_FIELDS_MAX is 1000: the 1001st non-empty field is refused. */
static void test_parse_field_limit(void **state)
{
    static const struct {
        const char *id;
        size_t fields;
        size_t empty_between; /* "&" pairs between fields, which do not count */
        int rc;
    } cases[] = {
        {"999", 999, 0, 0},
        {"1000", 1000, 0, 0},
        {"1001", 1001, 0, ERR_TOOBIG},
        {"1000-with-empty-pairs", 1000, 3, 0},
        {"5000", 5000, 0, ERR_TOOBIG},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct arena a;
        struct buf b = BUF_INIT;
        struct kv_list list = {0};
        const char *bad = NULL;
        int rc;

        for (size_t f = 0; f < cases[i].fields; f++) {
            buf_addf(&b, "%sf%zu=%zu", f ? "&" : "", f, f);
            for (size_t e = 0; e < cases[i].empty_between; e++)
                buf_addch(&b, '&');
        }
        arena_init(&a);
        rc = form_parse_urlencoded(&a, b.s, b.len, &list, &bad);
        if (rc != cases[i].rc)
            fail_msg("case %s: rc %d, want %d", cases[i].id, rc, cases[i].rc);
        if (rc == 0 && list.len != cases[i].fields)
            fail_msg("case %s: %zu fields", cases[i].id, list.len);
        if (rc == 0) {
            char want[32];

            snprintf(want, sizeof(want), "f%zu", cases[i].fields - 1);
            if (strcmp(list.items[list.len - 1].name, want) != 0)
                fail_msg("case %s: last field %s, want %s", cases[i].id,
                         list.items[list.len - 1].name, want);
        }
        arena_clear(&a);
        buf_release(&b);
    }
}

/* ---- kv lists ---------------------------------------------------------------------------- */

static void test_kv_list(void **state)
{
    struct arena a;
    struct kv_list list = {0};
    char name[16];
    const struct kv *kv;
    struct kv *added;

    (void)state;
    arena_init(&a);
    /* Growth past the first 8 items keeps the earlier ones. */
    for (int i = 0; i < 50; i++) {
        snprintf(name, sizeof(name), "n%d", i);
        kv_list_add(&a, &list, name, name + 1, strlen(name + 1));
    }
    name[0] = 'X'; /* names are copies */
    assert_int_equal(list.len, 50);
    kv = kv_list_find(&list, "n0");
    assert_non_null(kv);
    assert_string_equal(kv->value, "0");
    kv = kv_list_find(&list, "n49");
    assert_non_null(kv);
    assert_string_equal(kv->value, "49");
    assert_null(kv_list_find(&list, "n50"));
    assert_null(kv_list_find(&list, "N1"));
    /* The first of duplicates is found. */
    kv_list_add(&a, &list, "n1", "second", 6);
    assert_string_equal(kv_list_find(&list, "n1")->value, "1");
    /* A NULL value becomes "" of length 0; value_len bytes only are copied. */
    added = kv_list_add(&a, &list, "nullv", NULL, 99);
    assert_string_equal(added->value, "");
    assert_int_equal(added->value_len, 0);
    added = kv_list_add(&a, &list, "cut", "abcdef", 3);
    assert_string_equal(added->value, "abc");
    assert_int_equal(added->value_len, 3);
    added = kv_list_add(&a, &list, "nul", "a\0b", 3);
    assert_int_equal(added->value_len, 3);
    assert_memory_equal(added->value, "a\0b", 4);
    assert_null(kv_list_find(&(struct kv_list){0}, "x"));
    arena_clear(&a);
}

/* ---- urlenc_scan_feed -------------------------------------------------------------------- */

static void test_scan(void **state)
{
    static const struct {
        const char *id;
        const char *chunks[7]; /* NULL ends */
        bool bad;
        int pending;
    } cases[] = {
        {"plain", {"a=1&b=2", NULL}, false, 0},
        {"nothing", {NULL}, false, 0},
        {"empty-chunks", {"", "", NULL}, false, 0},
        {"whole-escape", {"a=%41", NULL}, false, 0},
        {"split-after-first-hex", {"a=%4", "1", NULL}, false, 0},
        {"split-after-percent", {"a=%", "41", NULL}, false, 0},
        {"split-byte-by-byte", {"%", "4", "1", NULL}, false, 0},
        {"split-with-empty-chunks", {"", "%", "", "4", "", "1", NULL}, false, 0},
        {"mixed-case-hex", {"%aF%Fa%09", NULL}, false, 0},
        {"split-then-bad", {"a=%", "zz", NULL}, true, -1},
        {"split-bad-second", {"a=%4", "z", NULL}, true, -1},
        {"bad-first-digit", {"%z1", NULL}, true, -1},
        {"bad-second-digit", {"%4z", NULL}, true, -1},
        {"percent-percent", {"%%41", NULL}, true, -1},
        {"amp-inside-escape", {"a=%4&b=1", NULL}, true, -1},
        {"bad-stays-bad", {"%zz", "a=1", "%41", NULL}, true, -1},
        {"ends-pending-2", {"a=%", NULL}, false, 2},
        {"ends-pending-1", {"a=%4", NULL}, false, 1},
        {"ends-pending-after-split", {"a=%41&b=", "%", NULL}, false, 2},
        {"plus-is-fine", {"a+b=c+d", NULL}, false, 0},
        {"high-bytes-not-checked", {"a=\xff", NULL}, false, 0},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct urlenc_scan s = {0};

        for (size_t c = 0; c < 7 && cases[i].chunks[c]; c++) {
            size_t n = strlen(cases[i].chunks[c]);
            char *chunk = malloc(n ? n : 1);

            assert_non_null(chunk);
            memcpy(chunk, cases[i].chunks[c], n);
            urlenc_scan_feed(&s, chunk, n);
            free(chunk);
        }
        if (s.bad != cases[i].bad)
            fail_msg("case %s: bad=%d, want %d", cases[i].id, s.bad, cases[i].bad);
        if (cases[i].pending >= 0 && s.pending != cases[i].pending)
            fail_msg("case %s: pending=%d, want %d", cases[i].id, s.pending, cases[i].pending);
    }
}

/* Feeding a body in any split gives the verdict of feeding it whole. */
static void test_scan_every_split(void **state)
{
    static const char *const bodies[] = {
        "a=%41%42&b=%c3%a9+x", "a=%4", "a=%", "%zz", "a=%4z&b=%41", "%%", "x=%0A%0d",
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(bodies); i++) {
        size_t n = strlen(bodies[i]);
        struct urlenc_scan whole = {0};

        urlenc_scan_feed(&whole, bodies[i], n);
        for (size_t cut1 = 0; cut1 <= n; cut1++) {
            for (size_t cut2 = cut1; cut2 <= n; cut2++) {
                struct urlenc_scan s = {0};

                urlenc_scan_feed(&s, bodies[i], cut1);
                urlenc_scan_feed(&s, bodies[i] + cut1, cut2 - cut1);
                urlenc_scan_feed(&s, bodies[i] + cut2, n - cut2);
                if (s.bad != whole.bad || (!s.bad && s.pending != whole.pending))
                    fail_msg("body \"%s\" cut at %zu and %zu: bad=%d pending=%d, whole gives "
                             "bad=%d pending=%d",
                             bodies[i], cut1, cut2, s.bad, s.pending, whole.bad, whole.pending);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_parse_field_limit),
        cmocka_unit_test(test_kv_list),
        cmocka_unit_test(test_scan),
        cmocka_unit_test(test_scan_every_split),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
