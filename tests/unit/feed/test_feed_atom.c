/*
 * test_feed_atom.c - the pure parts of feed/feed_atom.c: the XML escaper
 * (the five special characters, characters XML 1.0 forbids, invalid
 * UTF-8), entry titles from Markdown bodies, RFC 3339 dates, and the
 * personal feed's keys (parsing, and a mac that depends on the member, the
 * generation and the site secret).  Includes the .c file to reach its
 * static helpers (h2o's way), sparingly.
 *
 * Cases are tables with ids, so a failure names its case.
 */
#include "../../../src/feed/feed_atom.c"
#include "../../../src/core/str.h"

#include <setjmp.h>

#include <cmocka.h>

static const struct {
    const char *id;
    const char *in;
    size_t len; /* 0: strlen(in) */
    const char *want;
} escape_cases[] = {
    {"plain", "Bonjour", 0, "Bonjour"},
    {"specials", "<a href=\"x\">Tom's & co</a>", 0,
     "&lt;a href=&quot;x&quot;&gt;Tom&apos;s &amp; co&lt;/a&gt;"},
    {"entity-stays-text", "&amp; &#0; ]]>", 0, "&amp;amp; &amp;#0; ]]&gt;"},
    {"accents", "Hélène à l'œuvre — ✓", 0, "Hélène à l&apos;œuvre — ✓"},
    {"four-byte", "emoji 💡 ok", 0, "emoji 💡 ok"},
    {"tab-newline-kept", "a\tb\nc", 0, "a\tb\nc"},
    {"cr-as-reference", "a\r\nb", 0, "a&#13;\nb"},
    {"controls-dropped",
     "a\x01\x02\x08\x0b\x0c\x1f\x1b"
     "b",
     0, "ab"},
    {"nul-dropped", "a\0b", 3, "ab"},
    {"fffe-ffff-dropped",
     "a\xEF\xBF\xBE\xEF\xBF\xBF"
     "b",
     0, "ab"},
    {"del-and-c1-kept",
     "a\x7f\xC2\x85"
     "b",
     0,
     "a\x7f\xC2\x85"
     "b"},
    {"lone-continuation",
     "a\x80"
     "b",
     0,
     "a\xEF\xBF\xBD"
     "b"},
    {"truncated-sequence", "a\xC3", 0, "a\xEF\xBF\xBD"},
    {"overlong-slash", "\xC0\xAF", 0, "\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"overlong-three", "\xE0\x80\xAF", 0, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"surrogate", "\xED\xA0\x80", 0, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"past-10ffff", "\xF4\x90\x80\x80", 0, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"invalid-lt-after", "\xFF<", 0, "\xEF\xBF\xBD&lt;"},
    {"empty", "", 0, ""},
};

static void test_xml_escape(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(escape_cases); i++) {
        struct buf b = BUF_INIT;
        size_t len = escape_cases[i].len ? escape_cases[i].len : strlen(escape_cases[i].in);

        xml_escape(&b, escape_cases[i].in, len);
        if (strcmp(b.s, escape_cases[i].want) != 0)
            fail_msg("case %s: got \"%s\", want \"%s\"", escape_cases[i].id, b.s,
                     escape_cases[i].want);
        /* Whatever came in, nothing that ends character data may come out raw. */
        if (strchr(b.s, '<') || strchr(b.s, '>'))
            fail_msg("case %s: raw < or > in \"%s\"", escape_cases[i].id, b.s);
        buf_release(&b);
    }
}

/* Every byte value at every position: the output is valid UTF-8 without forbidden characters. */
static void test_xml_escape_all_bytes(void **state)
{
    (void)state;
    for (int c = 0; c < 256; c++) {
        char in[3] = {'x', (char)c, 'y'};
        struct buf b = BUF_INIT;

        xml_escape(&b, in, sizeof(in));
        if (!str_is_utf8(b.s, b.len))
            fail_msg("byte 0x%02x: output is not UTF-8", c);
        for (size_t i = 0; i < b.len; i++) {
            unsigned char o = (unsigned char)b.s[i];
            if ((o < 0x20 && o != '\t' && o != '\n') || o == '<' || o == '>' || o == '"' ||
                o == '\'')
                fail_msg("byte 0x%02x: forbidden 0x%02x in output", c, o);
        }
        buf_release(&b);
    }
}

static const struct {
    const char *id;
    const char *body;
    const char *want;
} title_cases[] = {
    {"first-line", "Réunion jeudi\nSalle 3", "Réunion jeudi"},
    {"blank-lines-first", "\n  \n\t\nBonjour", "Bonjour"},
    {"heading", "## Compte rendu\ntexte", "Compte rendu"},
    {"heading-alone-then-text", "#\nSuite", "Suite"},
    {"tag-not-heading", "#budget validé", "#budget validé"},
    {"seven-hashes-not-heading", "####### x", "####### x"},
    {"quote", "> cité\nmoi", "cité"},
    {"nested-quote", ">> > très cité", "très cité"},
    {"bullet", "- premier point\n- second", "premier point"},
    {"star-bullet", "* point", "point"},
    {"emphasis-not-bullet", "*important* demain", "*important* demain"},
    {"spaces-collapsed", "  a \t  b   c  ", "a b c"},
    {"crlf", "Bonjour\r\nsuite", "Bonjour"},
    {"markup-kept-as-text", "<script>x</script> & co", "<script>x</script> & co"},
    {"empty", "", ""},
    {"only-spaces", "  \n \t ", ""},
    {"exactly-80",
     "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
     "12345678901234567890123456789012345678901234567890123456789012345678901234567890"},
    {"81-cut", "123456789012345678901234567890123456789012345678901234567890123456789012345678901",
     "1234567890123456789012345678901234567890123456789012345678901234567890123456789…"},
    {"cut-on-characters",
     "éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé",
     "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé…"},
    {"cut-trims-space",
     "1234567890123456789012345678901234567890123456789012345678901234567890123456789 suite",
     "1234567890123456789012345678901234567890123456789012345678901234567890123456789…"},
    {"cut-before-space",
     "123456789012345678901234567890123456789012345678901234567890123456789012345678 suite",
     "123456789012345678901234567890123456789012345678901234567890123456789012345678…"},
};

static void test_entry_title(void **state)
{
    struct arena a;

    (void)state;
    arena_init(&a);
    for (size_t i = 0; i < ARRAY_SIZE(title_cases); i++) {
        const char *got = entry_title(&a, title_cases[i].body);
        if (strcmp(got, title_cases[i].want) != 0)
            fail_msg("case %s: got \"%s\", want \"%s\"", title_cases[i].id, got,
                     title_cases[i].want);
        if (str_utf8_len(got, strlen(got)) > FEED_ATOM_TITLE_MAX)
            fail_msg("case %s: %zu characters", title_cases[i].id, str_utf8_len(got, strlen(got)));
    }
    arena_clear(&a);
}

static void test_rfc3339(void **state)
{
    static const struct {
        const char *id;
        int64_t ms;
        const char *want;
    } cases[] = {
        {"epoch", 0, "1970-01-01T00:00:00Z"},
        {"millis-dropped", 1741944413999, "2025-03-14T09:26:53Z"},
        {"leap-day", 1709164800000, "2024-02-29T00:00:00Z"},
        {"year-end", 1767225599000, "2025-12-31T23:59:59Z"},
        {"negative", -5, "1970-01-01T00:00:00Z"},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char got[FEED_ATOM_TIME_TEXT];
        rfc3339(got, cases[i].ms);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("case %s: got %s, want %s", cases[i].id, got, cases[i].want);
    }
}

#define MAC43 "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO_-"

static void test_key_parse(void **state)
{
    static const struct {
        const char *id;
        const char *key;
        bool ok;
        int64_t want_id;
    } cases[] = {
        {"good", "42-" MAC43, true, 42},
        {"big-id", "123456789012345678-" MAC43, true, 123456789012345678},
        {"id-too-long", "1234567890123456789-" MAC43, false, 0},
        {"leading-zero", "042-" MAC43, false, 0},
        {"zero", "0-" MAC43, false, 0},
        {"no-id", "-" MAC43, false, 0},
        {"negative", "-42-" MAC43, false, 0},
        {"no-dash", "42" MAC43, false, 0},
        {"mac-too-long", "42-" MAC43 "x", false, 0},
        {"mac-too-short", "42-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO_", false, 0},
        {"empty", "", false, 0},
        {"plus", "+42-" MAC43, false, 0},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char mac[FEED_ATOM_MAC_TEXT];
        int64_t id = 0;
        bool ok = key_parse(cases[i].key, strlen(cases[i].key), &id, mac);

        if (ok != cases[i].ok)
            fail_msg("case %s: parsed %d, want %d", cases[i].id, ok, cases[i].ok);
        if (ok && (id != cases[i].want_id || strcmp(mac, MAC43) != 0))
            fail_msg("case %s: id %lld mac %s", cases[i].id, (long long)id, mac);
    }
}

static void test_key_mac(void **state)
{
    unsigned char secret[APP_SECRET_LEN], other[APP_SECRET_LEN];
    char a[FEED_ATOM_MAC_TEXT], b[FEED_ATOM_MAC_TEXT];

    (void)state;
    assert_true(sodium_init() >= 0);
    for (size_t i = 0; i < sizeof(secret); i++)
        secret[i] = other[i] = (unsigned char)(i * 7);
    other[0] ^= 1;

    key_mac(secret, 7, 0, a);
    assert_int_equal(strlen(a), FEED_ATOM_MAC_TEXT - 1);
    for (const char *p = a; *p; p++)
        assert_true(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *p));
    key_mac(secret, 7, 0, b);
    assert_string_equal(a, b); /* deterministic */
    key_mac(secret, 7, 1, b);
    assert_string_not_equal(a, b); /* a new generation retires the address */
    key_mac(secret, 8, 0, b);
    assert_string_not_equal(a, b); /* another member */
    key_mac(other, 7, 0, b);
    assert_string_not_equal(a, b); /* another site */
    key_mac(secret, 70, 0, b);
    assert_string_not_equal(a, b); /* "feed:7:0" and "feed:70:0" stay apart */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xml_escape),  cmocka_unit_test(test_xml_escape_all_bytes),
        cmocka_unit_test(test_entry_title), cmocka_unit_test(test_rfc3339),
        cmocka_unit_test(test_key_parse),   cmocka_unit_test(test_key_mac),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
