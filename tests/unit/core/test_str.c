/*
 * test_str.c - the string helpers of core/str.c and the logfmt quoting of log_kv()
 * (core/log.c).
 *
 * str_is_utf8() gets the boundaries of every sequence length, overlong forms,
 * surrogates, code points past U+10FFFF, truncated sequences, stray
 * continuation bytes and NUL; inputs are copied to a malloc'd block of exactly
 * n bytes so that ASan catches any read past the end.  str_to_i64() gets the
 * int64 limits and junk around digits.  log_kv() must produce lines that parse
 * back to the value given, with no raw control byte in them.
 *
 * Cases are tables with ids, so a failure names its case.
 */
#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/str.h"

#include <setjmp.h>

#include <cmocka.h>

/* A malloc'd copy of exactly n bytes (no terminator), so over-reads are caught. */
static char *exact_copy(const char *s, size_t n)
{
    char *p = malloc(n ? n : 1);

    assert_non_null(p);
    memcpy(p, s, n);
    return p;
}

/* ---- str_is_utf8 ---------------------------------------------------------------------- */

struct bytes_case {
    const char *id;
    const char *s;
    size_t n; /* 0: strlen(s) */
    bool ok;
};

static void test_is_utf8(void **state)
{
    static const struct bytes_case cases[] = {
        {"empty", "", 0, true},
        {"ascii", "Bonjour, Ruche!", 0, true},
        {"ascii-controls", "tab\there\r\n", 0, true},
        {"del", "\x7f", 0, true},
        {"e-acute", "\xc3\xa9", 0, true},
        {"e-acute-in-word", "caf\xc3\xa9 ouvert", 0, true},
        {"2-byte-min-U+0080", "\xc2\x80", 0, true},
        {"2-byte-max-U+07FF", "\xdf\xbf", 0, true},
        {"3-byte-min-U+0800", "\xe0\xa0\x80", 0, true},
        {"euro", "\xe2\x82\xac", 0, true},
        {"before-surrogates-U+D7FF", "\xed\x9f\xbf", 0, true},
        {"after-surrogates-U+E000", "\xee\x80\x80", 0, true},
        {"3-byte-max-U+FFFF", "\xef\xbf\xbf", 0, true},
        {"bom", "\xef\xbb\xbf", 0, true},
        {"4-byte-min-U+10000", "\xf0\x90\x80\x80", 0, true},
        {"emoji", "\xf0\x9f\x98\x80", 0, true},
        {"4-byte-max-U+10FFFF", "\xf4\x8f\xbf\xbf", 0, true},
        {"mixed", "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z", 0, true},

        {"overlong-nul-C0-80", "\xc0\x80", 0, false},
        {"overlong-C1-BF", "\xc1\xbf", 0, false},
        {"overlong-slash-C0-AF", "\xc0\xaf", 0, false},
        {"overlong-3-byte-E0-80-80", "\xe0\x80\x80", 0, false},
        {"overlong-3-byte-U+07FF", "\xe0\x9f\xbf", 0, false},
        {"overlong-4-byte-F0-80-80-80", "\xf0\x80\x80\x80", 0, false},
        {"overlong-4-byte-U+FFFF", "\xf0\x8f\xbf\xbf", 0, false},
        {"surrogate-high-ED-A0-80", "\xed\xa0\x80", 0, false},
        {"surrogate-low-max-ED-BF-BF", "\xed\xbf\xbf", 0, false},
        {"surrogate-pair-as-cesu", "\xed\xa0\xbd\xed\xb8\x80", 0, false},
        {"above-max-F4-90-80-80", "\xf4\x90\x80\x80", 0, false},
        {"lead-F5", "\xf5\x80\x80\x80", 0, false},
        {"lead-F8-5-byte", "\xf8\x88\x80\x80\x80", 0, false},
        {"lead-FC-6-byte", "\xfc\x84\x80\x80\x80\x80", 0, false},
        {"byte-FE", "\xfe", 0, false},
        {"byte-FF", "\xff", 0, false},
        {"ascii-then-FF", "abc\xff", 0, false},
        {"stray-continuation-80", "\x80", 0, false},
        {"stray-continuation-BF", "\xbf", 0, false},
        {"stray-continuation-mid", "a\x80z", 0, false},
        {"extra-continuation", "\xc3\xa9\xa9", 0, false},
        {"truncated-2-of-2-at-end", "\xc3", 0, false},
        {"truncated-2-of-3-at-end", "\xe2\x82", 0, false},
        {"truncated-1-of-3-at-end", "\xe2", 0, false},
        {"truncated-3-of-4-at-end", "\xf0\x9f\x98", 0, false},
        {"truncated-then-ascii", "\xc3\x61", 0, false},
        {"truncated-3-then-ascii", "\xe2\x82\x61", 0, false},
        {"truncated-4-then-ascii", "\xf0\x9f\x98\x61", 0, false},
        {"lead-then-lead", "\xc3\xc3\xa9", 0, false},
        {"nul-alone", "\0", 1, false},
        {"nul-inside", "ab\0cd", 5, false},
        {"nul-at-end", "abc\0", 4, false},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        size_t n = cases[i].n ? cases[i].n : strlen(cases[i].s);
        char *p = exact_copy(cases[i].s, n);
        bool got = str_is_utf8(p, n);

        free(p);
        if (got != cases[i].ok)
            fail_msg("case %s: got %d, want %d", cases[i].id, got, cases[i].ok);
    }
}

/* n limits the check: a valid string cut inside a character is not valid. */
static void test_is_utf8_length(void **state)
{
    static const char emoji[] = "\xf0\x9f\x98\x80";

    (void)state;
    for (size_t n = 1; n < 4; n++) {
        char *p = exact_copy(emoji, n);

        if (str_is_utf8(p, n))
            fail_msg("emoji cut at %zu bytes accepted", n);
        free(p);
    }
    assert_true(str_is_utf8("\xc3\xa9\xff", 2)); /* the bad byte is past n */
}

/* ---- str_utf8_len --------------------------------------------------------------------- */

static void test_utf8_len(void **state)
{
    static const struct {
        const char *id;
        const char *s;
        size_t n;
        size_t want;
    } cases[] = {
        {"empty", "", 0, 0},
        {"ascii", "abc", 3, 3},
        {"e-acute", "\xc3\xa9", 2, 1},
        {"ete", "\xc3\xa9t\xc3\xa9", 5, 3},
        {"cjk", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 9, 3},
        {"emoji", "\xf0\x9f\x98\x80", 4, 1},
        {"mixed", "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 10, 4},
        {"prefix-only", "abcdef", 2, 2},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char *p = exact_copy(cases[i].s, cases[i].n);
        size_t got = str_utf8_len(p, cases[i].n);

        free(p);
        if (got != cases[i].want)
            fail_msg("case %s: got %zu, want %zu", cases[i].id, got, cases[i].want);
    }
}

/* ---- str_starts_with ------------------------------------------------------------------ */

static void test_starts_with(void **state)
{
    (void)state;
    assert_true(str_starts_with("/people/42", "/people/"));
    assert_true(str_starts_with("abc", ""));
    assert_true(str_starts_with("abc", "abc"));
    assert_false(str_starts_with("ab", "abc"));
    assert_false(str_starts_with("Abc", "abc"));
    assert_false(str_starts_with("", "a"));
}

/* ---- str_to_i64 ----------------------------------------------------------------------- */

static void test_to_i64(void **state)
{
    static const struct {
        const char *id;
        const char *s;
        bool ok;
        int64_t want;
    } cases[] = {
        {"zero", "0", true, 0},
        {"small", "42", true, 42},
        {"negative", "-42", true, -42},
        {"negative-zero", "-0", true, 0},
        {"leading-zeros", "007", true, 7},
        {"max", "9223372036854775807", true, INT64_MAX},
        {"min", "-9223372036854775808", true, INT64_MIN},
        {"max-plus-one", "9223372036854775808", false, 0},
        {"min-minus-one", "-9223372036854775809", false, 0},
        {"far-overflow", "99999999999999999999999999", false, 0},
        {"far-underflow", "-99999999999999999999999999", false, 0},
        {"empty", "", false, 0},
        {"null", NULL, false, 0},
        {"leading-space", " 1", false, 0},
        {"leading-tab", "\t1", false, 0},
        {"leading-newline", "\n1", false, 0},
        {"trailing-space", "1 ", false, 0},
        {"trailing-newline", "1\n", false, 0},
        {"trailing-junk", "12a", false, 0},
        {"leading-junk", "a12", false, 0},
        {"hex", "0x10", false, 0},
        {"exponent", "1e3", false, 0},
        {"decimal-point", "1.5", false, 0},
        {"minus-alone", "-", false, 0},
        {"double-minus", "--1", false, 0},
        {"minus-space", "- 1", false, 0},
        {"inner-space", "1 2", false, 0},
        {"utf8-digit", "\xd9\xa1", false, 0}, /* ARABIC-INDIC DIGIT ONE */
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        int64_t got = 12345;
        bool ok = str_to_i64(cases[i].s, &got);

        if (ok != cases[i].ok)
            fail_msg("case %s: got ok=%d, want %d", cases[i].id, ok, cases[i].ok);
        if (ok && got != cases[i].want)
            fail_msg("case %s: got %" PRId64 ", want %" PRId64, cases[i].id, got, cases[i].want);
    }
}

/* ---- str_trim ------------------------------------------------------------------------- */

static void test_trim(void **state)
{
    static const struct {
        const char *id;
        const char *s;
        size_t skip; /* leading bytes skipped */
        const char *want;
    } cases[] = {
        {"empty", "", 0, ""},
        {"plain", "abc", 0, "abc"},
        {"spaces-only", "   ", 3, ""},
        {"both-sides", "  a  ", 2, "a"},
        {"inner-kept", " a b ", 1, "a b"},
        {"all-whitespace-kinds", "\t\n\v\f\r a\t\n\v\f\r ", 6, "a"},
        {"leading-only", "  x", 2, "x"},
        {"trailing-only", "x  ", 0, "x"},
        {"utf8-kept", " \xc3\xa9t\xc3\xa9 ", 1, "\xc3\xa9t\xc3\xa9"},
        {"nbsp-not-ascii-space", "\xc2\xa0x", 0, "\xc2\xa0x"},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        size_t len = 999;
        const char *got = str_trim(cases[i].s, &len);

        if (got != cases[i].s + cases[i].skip)
            fail_msg("case %s: skipped %td bytes, want %zu", cases[i].id, got - cases[i].s,
                     cases[i].skip);
        if (len != strlen(cases[i].want) || memcmp(got, cases[i].want, len) != 0)
            fail_msg("case %s: got \"%.*s\", want \"%s\"", cases[i].id, (int)len, got,
                     cases[i].want);
    }
}

/* ---- str_lower_ascii ------------------------------------------------------------------ */

static void test_lower_ascii(void **state)
{
    static const struct {
        const char *id;
        const char *s;
        const char *want;
    } cases[] = {
        {"empty", "", ""},
        {"upper", "ABCXYZ", "abcxyz"},
        {"mixed", "Zoe.Martin@Example.ORG", "zoe.martin@example.org"},
        {"digits-punct", "A1-_@[`{", "a1-_@[`{"},
        {"utf8-untouched", "\xc3\x89T\xc3\x89", "\xc3\x89t\xc3\x89"}, /* ÉTÉ -> ÉtÉ */
        {"high-bytes-untouched", "\xc0\xd0\xde", "\xc0\xd0\xde"},
    };
    struct arena a;

    (void)state;
    arena_init(&a);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char *got = str_lower_ascii(&a, cases[i].s);

        if (got == cases[i].s || strcmp(got, cases[i].want) != 0)
            fail_msg("case %s: got \"%s\", want \"%s\"", cases[i].id, got, cases[i].want);
    }
    arena_clear(&a);
}

/* ---- log_kv --------------------------------------------------------------------------- */

/*
 * Parse one logfmt value (after "key=") back: bare up to the end, or quoted
 * with \" \\ \n and \xHH escapes.  False when malformed.
 */
static bool logfmt_unquote(const char *s, struct buf *out)
{
    if (*s != '"') {
        buf_addstr(out, s);
        return true;
    }
    for (s++; *s && *s != '"'; s++) {
        if (*s != '\\') {
            buf_addch(out, *s);
            continue;
        }
        s++;
        if (*s == '"' || *s == '\\') {
            buf_addch(out, *s);
        } else if (*s == 'n') {
            buf_addch(out, '\n');
        } else if (*s == 'x' && s[1] && s[2]) {
            char hex[3] = {s[1], s[2], '\0'};
            buf_addch(out, (char)strtol(hex, NULL, 16));
            s += 2;
        } else {
            return false;
        }
    }
    return *s == '"' && s[1] == '\0';
}

static void test_log_kv(void **state)
{
    static const struct {
        const char *id;
        const char *value;
        const char *want;
    } cases[] = {
        {"plain", "GET", "k=GET"},
        {"path", "/people/42?x", "k=/people/42?x"},
        {"empty", "", "k=\"\""},
        {"null", NULL, "k=\"\""},
        {"space", "a b", "k=\"a b\""},
        {"quote", "a\"b", "k=\"a\\\"b\""},
        {"equals", "a=b", "k=\"a=b\""},
        {"backslash", "a\\b", "k=\"a\\\\b\""},
        {"newline", "a\nb", "k=\"a\\nb\""},
        {"crlf-injection", "x\r\nlevel=error", "k=\"x\\x0d\\nlevel=error\""},
        {"tab", "a\tb", "k=\"a\\x09b\""},
        {"control-01", "a\x01\x62", "k=\"a\\x01b\""},
        {"escape-1b", "\x1b[31m", "k=\"\\x1b[31m\""},
        {"del", "a\x7f", "k=\"a\\x7f\""},
        {"only-quote", "\"", "k=\"\\\"\""},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct buf b = BUF_INIT;

        log_kv(&b, "k", cases[i].value);
        if (strcmp(b.s, cases[i].want) != 0)
            fail_msg("case %s: got [%s], want [%s]", cases[i].id, b.s, cases[i].want);
        buf_release(&b);
    }
}

/* Whatever the value, the pair is one line without raw control bytes that parses back. */
static void test_log_kv_roundtrip(void **state)
{
    static const char *const values[] = {
        "",
        "a",
        "a b",
        "\"",
        "\\",
        "=",
        "\\\"",
        "a\nb\nc",
        "\r",
        "\x01\x02\x1f\x7f",
        "\xc3\xa9t\xc3\xa9",
        "Zo\xc3\xa9 \"R\" = 1",
        "<script>alert(1)</script>",
        "\\x41",
        "trailing\\",
        "key=value other=thing",
        "\xff\xfe",
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(values); i++) {
        struct buf b = BUF_INIT, back = BUF_INIT;

        log_kv(&b, "key", values[i]);
        for (size_t j = 0; j < b.len; j++) {
            unsigned char c = (unsigned char)b.s[j];
            if (c < ' ' || c == 0x7f)
                fail_msg("value %zu: raw control byte 0x%02x in [%s]", i, c, b.s);
        }
        if (strncmp(b.s, "key=", 4) != 0 || !logfmt_unquote(b.s + 4, &back))
            fail_msg("value %zu: malformed [%s]", i, b.s);
        if (strcmp(back.s, values[i]) != 0)
            fail_msg("value %zu: [%s] parses back as [%s]", i, b.s, back.s);
        buf_release(&b);
        buf_release(&back);
    }
}

static void test_log_kv_pairs(void **state)
{
    struct buf b = BUF_INIT;

    (void)state;
    log_kv(&b, "a", "1");
    log_kv(&b, "b", "two words");
    log_kv(&b, "c", "");
    assert_string_equal(b.s, "a=1 b=\"two words\" c=\"\"");
    buf_release(&b);
}

/* str_fold: what the directory search and sort compare. */
static void test_fold(void **state)
{
    static const struct {
        const char *id, *in, *out;
    } cases[] = {
        {"ascii-lower", "Martin", "martin"},
        {"grave-acute", "Hélène Lefèvre", "helene lefevre"},
        {"cedilla", "François", "francois"},
        {"diaeresis", "Maëlle Noël", "maelle noel"},
        {"ligature-oe", "Œuvre cœur", "oeuvre coeur"},
        {"ae", "Æsa", "aesa"},
        {"sharp-s", "Straße", "strasse"},
        {"ext-a", "Łukasz Dvořák", "lukasz dvorak"},
        {"upper-accents", "ÉLODIE ÂGÉE", "elodie agee"},
        {"kept-others", "Zoë 日本", "zoe 日本"},
        {"empty", "", ""},
        {"times-kept", "a×b", "a×b"},
    };
    struct arena a;

    (void)state;
    arena_init(&a);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *got = str_fold(&a, cases[i].in);
        if (strcmp(got, cases[i].out) != 0)
            fail_msg("case %s: \"%s\" folded to \"%s\", expected \"%s\"", cases[i].id, cases[i].in,
                     got, cases[i].out);
    }
    arena_clear(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_is_utf8),
        cmocka_unit_test(test_is_utf8_length),
        cmocka_unit_test(test_utf8_len),
        cmocka_unit_test(test_starts_with),
        cmocka_unit_test(test_to_i64),
        cmocka_unit_test(test_trim),
        cmocka_unit_test(test_lower_ascii),
        cmocka_unit_test(test_log_kv),
        cmocka_unit_test(test_log_kv_roundtrip),
        cmocka_unit_test(test_log_kv_pairs),
        cmocka_unit_test(test_fold),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
