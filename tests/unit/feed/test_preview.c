/*
 * test_preview.c - reading link previews (src/feed/feed_preview.c): the
 * HTML of a page, the cleaning of its texts, the host shown on a card.
 *
 * Pages are written here: Open Graph tags win over Twitter ones and over
 * <title>, entities and declared charsets are decoded, upper-case tags and
 * attributes count, broken or hostile markup never crashes nor leaks into
 * the texts, and every text comes out as valid UTF-8 within its limit.
 * Nothing here touches the network.
 */
#include "core/arena.h"
#include "core/buf.h"
#include "core/str.h"
#include "feed/preview.h"

#include <setjmp.h>

#include <cmocka.h>

static struct arena a;

static int setup(void **state)
{
    (void)state;
    arena_init(&a);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_clear(&a);
    return 0;
}

static void parse(const char *html, const char *charset, struct feed_preview_meta *m)
{
    feed_preview_parse(&a, html, strlen(html), charset, m);
    assert_non_null(m->title);
    assert_non_null(m->description);
    assert_non_null(m->site_name);
    assert_non_null(m->image_url);
    assert_true(str_is_utf8(m->title, strlen(m->title)));
    assert_true(str_is_utf8(m->description, strlen(m->description)));
    assert_true(str_utf8_len(m->title, strlen(m->title)) <= FEED_PREVIEW_TITLE_MAX);
    assert_true(str_utf8_len(m->description, strlen(m->description)) <=
                FEED_PREVIEW_DESCRIPTION_MAX);
}

static void test_open_graph_first(void **state)
{
    struct feed_preview_meta m;

    (void)state;
    parse("<!doctype html><html><head><title>Titre de la page</title>"
          "<meta name=\"twitter:title\" content=\"Titre Twitter\">"
          "<meta property=\"og:title\" content=\"Titre Open Graph\">"
          "<meta name=\"description\" content=\"Description simple\">"
          "<meta property=\"og:description\" content=\"Description OG\">"
          "<meta property=\"og:site_name\" content=\"Le Site\">"
          "<meta property=\"og:image\" content=\"/img/a.png\">"
          "<meta name=\"twitter:image\" content=\"/img/b.png\">"
          "</head><body><p>Texte</p></body></html>",
          NULL, &m);
    assert_string_equal(m.title, "Titre Open Graph");
    assert_string_equal(m.description, "Description OG");
    assert_string_equal(m.site_name, "Le Site");
    assert_string_equal(m.image_url, "/img/a.png");
}

static void test_fallbacks(void **state)
{
    struct feed_preview_meta m;

    (void)state;
    parse("<html><head><title>  Le\n  titre\t</title>"
          "<meta name=\"description\" content=\"Desc\">"
          "<meta name=\"twitter:description\" content=\"Tw\">"
          "<meta name=\"twitter:image:src\" content=\"https://cdn.example.org/t.jpg\">"
          "</head></html>",
          NULL, &m);
    assert_string_equal(m.title, "Le titre");
    assert_string_equal(m.description, "Desc");
    assert_string_equal(m.site_name, "");
    assert_string_equal(m.image_url, "https://cdn.example.org/t.jpg");

    parse("<html><head><meta name=\"twitter:title\" content=\"Seulement Twitter\">"
          "<meta name=\"twitter:description\" content=\"Tw desc\"></head></html>",
          NULL, &m);
    assert_string_equal(m.title, "Seulement Twitter");
    assert_string_equal(m.description, "Tw desc");

    /* A tag that says nothing once cleaned gives way to the next kind. */
    parse("<title>Le vrai titre</title><meta property=\"og:title\" content=\" \xe2\x80\x8b \">"
          "<meta property=\"og:image\" content=\"  /a b.png \n\">",
          NULL, &m);
    assert_string_equal(m.title, "Le vrai titre");
    assert_string_equal(m.image_url, "/a b.png");

    /* The first of several tags of a kind. */
    parse("<meta property=og:title content=Premier><meta property=og:title content=Second>", NULL,
          &m);
    assert_string_equal(m.title, "Premier");
}

static void test_case_and_entities(void **state)
{
    struct feed_preview_meta m;

    (void)state;
    parse("<HTML><HEAD><TITLE>ignored</TITLE>"
          "<META PROPERTY=\"OG:TITLE\" CONTENT=\"Caf&eacute; &amp; th&#233; &lt;b&gt;\">"
          "<Meta Name=\"Description\" Content=\"&quot;Cit&eacute;&quot;\">"
          "</HEAD></HTML>",
          NULL, &m);
    assert_string_equal(m.title, "Café & thé <b>");
    assert_string_equal(m.description, "\"Cité\"");
}

static void test_charsets(void **state)
{
    struct feed_preview_meta m;

    (void)state;
    /* Declared by the Content-Type header. */
    parse("<title>\xe9t\xe9 \xe0 Paris</title>", "iso-8859-1", &m);
    assert_string_equal(m.title, "été à Paris");
    /* Declared by the page. */
    parse("<html><head><meta charset=\"iso-8859-1\"><title>\xe9t\xe9</title></head></html>", NULL,
          &m);
    assert_string_equal(m.title, "été");
    /* A charset nobody knows: the page is still read. */
    parse("<title>plain</title>", "no-such-charset", &m);
    assert_string_equal(m.title, "plain");
    /* UTF-8 as it comes. */
    parse("<meta charset=utf-8><title>Œuvre – « ça »</title>", "utf-8", &m);
    assert_string_equal(m.title, "Œuvre – « ça »");
}

static void test_nothing_to_say(void **state)
{
    struct feed_preview_meta m;
    static const char binary[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xff";

    (void)state;
    parse("", NULL, &m);
    assert_string_equal(m.title, "");
    parse("<html><body><h1>Pas de titre</h1></body></html>", NULL, &m);
    assert_string_equal(m.title, "");
    assert_string_equal(m.description, "");
    parse("<title></title><meta property=\"og:title\" content=\"\">", NULL, &m);
    assert_string_equal(m.title, "");
    parse("<title>   \n\t  </title>", NULL, &m);
    assert_string_equal(m.title, "");
    feed_preview_parse(&a, binary, sizeof(binary) - 1, NULL, &m);
    assert_string_equal(m.title, "");
    feed_preview_parse(&a, NULL, 0, NULL, &m);
    assert_string_equal(m.title, "");
}

static void test_hostile_markup(void **state)
{
    struct feed_preview_meta m;
    struct buf deep;

    (void)state;
    /* Markup in a title is text; a script's content is not a title. */
    parse("<title><script>alert(1)</script>Vrai titre</title>", NULL, &m);
    assert_null(strstr(m.title, "<script"));
    parse("<head><script>var t = '<title>faux</title>';</script><title>Bon</title></head>", NULL,
          &m);
    assert_string_equal(m.title, "Bon");
    /* Broken markup is recovered. */
    parse("<html><head><title>Cassé<meta property=og:description content='d\"x'></head", NULL, &m);
    assert_true(*m.title);
    /* Tags found in the body still count. */
    parse("<body><div><meta property=\"og:title\" content=\"Dans le corps\"></div></body>", NULL,
          &m);
    assert_string_equal(m.title, "Dans le corps");
    /* Deep nesting: the walk does not recurse. */
    buf_init_arena(&deep, &a);
    for (int i = 0; i < 20000; i++)
        buf_addstr(&deep, "<div>");
    buf_addstr(&deep, "<meta property=\"og:title\" content=\"Profond\">");
    feed_preview_parse(&a, deep.s, deep.len, NULL, &m);
    assert_true(str_is_utf8(m.title, strlen(m.title)));
    /* Control and bidirectional characters vanish; NUL bytes end nothing early. */
    parse("<title>a\x01"
          "b\xe2\x80\xae"
          "c</title>",
          NULL, &m);
    assert_string_equal(m.title, "abc");
}

static void test_limits(void **state)
{
    struct feed_preview_meta m;
    struct buf html;
    size_t n;

    (void)state;
    buf_init_arena(&html, &a);
    buf_addstr(&html, "<title>");
    for (int i = 0; i < 300; i++)
        buf_addstr(&html, "é");
    buf_addstr(&html, "</title><meta name=description content=\"");
    for (int i = 0; i < 700; i++)
        buf_addstr(&html, "mot ");
    buf_addstr(&html, "\">");
    parse(html.s, NULL, &m);
    n = str_utf8_len(m.title, strlen(m.title));
    assert_int_equal(n, FEED_PREVIEW_TITLE_MAX);
    assert_true(strcmp(m.title + strlen(m.title) - 3, "…") == 0);
    n = str_utf8_len(m.description, strlen(m.description));
    assert_true(n <= FEED_PREVIEW_DESCRIPTION_MAX && n > FEED_PREVIEW_DESCRIPTION_MAX - 5);
    assert_true(strcmp(m.description + strlen(m.description) - 3, "…") == 0);
    assert_null(strstr(m.description, " …")); /* no space before the ellipsis */
}

static void test_clean(void **state)
{
    static const struct {
        const char *id, *in;
        size_t max;
        const char *want;
    } cases[] = {
        {"trim", "  a \n\t b  ", 100, "a b"},
        {"nbsp",
         "a\xc2\xa0\xc2\xa0"
         "b",
         100, "a b"},
        {"ideographic-space",
         "a\xe3\x80\x80"
         "b",
         100, "a b"},
        {"controls",
         "a\x01\x1f\x7f"
         "b",
         100, "ab"},
        {"c1",
         "a\xc2\x85\xc2\x9f"
         "b",
         100, "ab"},
        {"bidi",
         "a\xe2\x80\xae"
         "b\xe2\x81\xa6"
         "c",
         100, "abc"},
        {"zero-width",
         "a\xe2\x80\x8b"
         "b\xef\xbb\xbf",
         100, "ab"},
        {"invalid-byte",
         "a\xff"
         "b",
         100,
         "a\xef\xbf\xbd"
         "b"},
        {"overlong", "\xc0\xaf", 100, "\xef\xbf\xbd\xef\xbf\xbd"},
        {"surrogate", "\xed\xa0\x80", 100, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
        {"truncated-seq", "ab\xe2\x82", 100, "ab\xef\xbf\xbd\xef\xbf\xbd"},
        {"past-max", "\xf4\x90\x80\x80", 100, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
        {"four-bytes", "\xf0\x9f\x90\x9d", 100, "\xf0\x9f\x90\x9d"},
        {"exact", "abcd", 4, "abcd"},
        {"cut", "abcdef", 4, "abc…"},
        {"cut-at-space", "ab cd", 3, "ab…"},
        {"cut-space-before", "abc def", 5, "abc…"},
        {"cut-multibyte", "ééé", 2, "é…"},
        {"one", "abc", 1, "…"},
        {"zero", "abc", 0, ""},
        {"empty", "", 10, ""},
        {"spaces-only", " \n ", 10, ""},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const char *got = feed_preview_clean(&a, cases[i].in, cases[i].max);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("%s: got \"%s\", want \"%s\"", cases[i].id, got, cases[i].want);
    }
    assert_string_equal(feed_preview_clean(&a, NULL, 10), "");
}

static void test_host(void **state)
{
    static const struct {
        const char *url, *want;
    } cases[] = {
        {"https://Example.ORG/path", "example.org"},
        {"http://user:pw@host.example:8080/x", "host.example"},
        {"https://[2001:db8::1]:443/", "[2001:db8::1]"},
        {"https://ex.com?q=1", "ex.com"},
        {"https://ex.com#top", "ex.com"},
        {"https://ex.com", "ex.com"},
        {"https://a@b@c.example/", "c.example"},
        {"nonsense", ""},
        {"", ""},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        assert_string_equal(feed_preview_host(&a, cases[i].url), cases[i].want);
    assert_string_equal(feed_preview_host(&a, NULL), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_graph_first),
        cmocka_unit_test(test_fallbacks),
        cmocka_unit_test(test_case_and_entities),
        cmocka_unit_test(test_charsets),
        cmocka_unit_test(test_nothing_to_say),
        cmocka_unit_test(test_hostile_markup),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_clean),
        cmocka_unit_test(test_host),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
