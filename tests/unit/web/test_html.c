/*
 * test_html.c - the HTML writer: escapers, URL encoding and decoding, the
 * URL attribute builders, context tracking in html_fmt(), and the page
 * frame of layout.c.
 *
 * Cases are tables with ids, so a failure names its case.  Misuses that
 * must BUG() run in a forked child, which has to die of SIGABRT.
 */
#include "core/arena.h"
#include "core/buf.h"
#include "http/http.h"
#include "web/html.h"
#include "web/layout.h"

#include <setjmp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

/* Fail with the case id in the message when got differs from want. */
static void expect_bytes(const char *id, const char *got, size_t got_len, const char *want,
                         size_t want_len)
{
    if (got_len != want_len || memcmp(got, want, want_len) != 0)
        fail_msg("case %s: got \"%.*s\", want \"%.*s\"", id, (int)got_len, got, (int)want_len,
                 want);
}

static void expect_str(const char *id, const struct buf *b, const char *want)
{
    expect_bytes(id, b->s, b->len, want, strlen(want));
}

/* ---- html_escape ------------------------------------------------------- */

struct text_case {
    const char *id;
    const char *in;
    const char *want;
};

static void test_escape(void **state)
{
    static const struct text_case cases[] = {
        {"plain", "Bonjour", "Bonjour"},
        {"empty", "", ""},
        {"amp", "R&D", "R&amp;D"},
        {"lt-gt", "a<b>c", "a&lt;b&gt;c"},
        {"attr-quote", "a\"b", "a&quot;b"},
        {"apostrophe", "l'équipe", "l&#39;équipe"},
        {"script-tag", "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
        {"img-onerror", "\"><img src=x onerror=alert(1)>",
         "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"},
        {"entity-kept-as-text", "&amp;", "&amp;amp;"},
        {"utf8-kept", "Zoé → 日本", "Zoé → 日本"},
        {"crlf-kept", "a\r\nb", "a\r\nb"},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct buf b = BUF_INIT;

        html_escape(&b, cases[i].in, strlen(cases[i].in));
        expect_str(cases[i].id, &b, cases[i].want);
        buf_release(&b);
    }
}

static void test_text_nul(void **state)
{
    struct buf b = BUF_INIT;
    struct html h;

    (void)state;
    html_init(&h, &b);
    html_lit(&h, "<p>");
    html_textn(&h, "a\0<b", 4);
    html_text(&h, NULL);
    html_lit(&h, "</p>");
    expect_str("nul-replaced", &b, "<p>a\xEF\xBF\xBD&lt;b</p>");
    buf_release(&b);
}

/* ---- url_encode / url_decode ------------------------------------------------ */

static void test_url_encode(void **state)
{
    static const struct text_case cases[] = {
        {"unreserved", "aZ09-._~", "aZ09-._~"},
        {"empty", "", ""},
        {"space", "a b", "a%20b"},
        {"slash", "a/b", "a%2Fb"},
        {"backslash", "a\\b", "a%5Cb"},
        {"query-chars", "?&=#+", "%3F%26%3D%23%2B"},
        {"html-chars", "\"'<>", "%22%27%3C%3E"},
        {"percent", "100%", "100%25"},
        {"utf8", "é", "%C3%A9"},
        {"colon", "javascript:x", "javascript%3Ax"},
        {"control", "\r\n\x7f", "%0D%0A%7F"},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct buf b = BUF_INIT;

        url_encode(&b, cases[i].in, strlen(cases[i].in));
        expect_str(cases[i].id, &b, cases[i].want);
        buf_release(&b);
    }
}

struct decode_case {
    const char *id;
    const char *in;
    bool plus_is_space;
    bool ok;
    const char *want; /* for ok cases; the input itself otherwise */
    size_t want_len;
};

static void test_url_decode(void **state)
{
    static const struct decode_case cases[] = {
        {"plain", "abc", false, true, "abc", 3},
        {"empty", "", false, true, "", 0},
        {"pct-upper", "a%2Fb", false, true, "a/b", 3},
        {"pct-lower", "a%2fb", false, true, "a/b", 3},
        {"utf8", "%C3%A9t%C3%A9", false, true, "été", 5},
        {"plus-space", "a+b", true, true, "a b", 3},
        {"plus-kept", "a+b", false, true, "a+b", 3},
        {"pct-plus", "%2B", true, true, "+", 1},
        {"nul-byte", "a%00b", false, true, "a\0b", 3},
        {"trunc-percent", "%", false, false, NULL, 0},
        {"trunc-one-digit", "%4", false, false, NULL, 0},
        {"trunc-at-end", "abc%2", false, false, NULL, 0},
        {"bad-hex", "%zz", false, false, NULL, 0},
        {"bad-second-digit", "%4g", false, false, NULL, 0},
        {"bad-after-good", "%41%", false, false, NULL, 0},
        {"sign-not-hex", "%+1", true, false, NULL, 0},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct decode_case *c = &cases[i];
        char s[64];
        size_t len = strlen(c->in);
        bool ok;

        memcpy(s, c->in, len + 1);
        ok = url_decode(s, &len, c->plus_is_space);
        if (ok != c->ok)
            fail_msg("case %s: url_decode returned %d", c->id, ok);
        if (ok)
            expect_bytes(c->id, s, len, c->want, c->want_len);
        else
            expect_bytes(c->id, s, len, c->in, strlen(c->in)); /* left unchanged */
    }
}

/* ---- html_href / html_href_ext ------------------------------------------------- */

static void test_href(void **state)
{
    const char *volatile no_text = NULL; /* hidden from the compiler's format checks */
    struct buf b = BUF_INIT;
    struct html h;

    (void)state;
    html_init(&h, &b);

    html_lit(&h, "<a");
    html_href(&h, "/people/%s", "javascript:alert(1)");
    html_lit(&h, ">x</a>");
    expect_str("hostile-component", &b, "<a href=\"/people/javascript%3Aalert%281%29\">x</a>");

    buf_reset(&b);
    html_lit(&h, "<a");
    html_href(&h, "/files/%s", "../../etc/passwd");
    expect_str("dot-dot-slash", &b, "<a href=\"/files/..%2F..%2Fetc%2Fpasswd\"");
    html_lit(&h, ">");

    buf_reset(&b);
    html_lit(&h, "<a");
    html_href(&h, "/x/%s", "\"><script>alert(1)</script>");
    expect_str("attr-breakout", &b, "<a href=\"/x/%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E\"");
    html_lit(&h, ">");

    buf_reset(&b);
    html_lit(&h, "<a");
    html_href(&h, "/people?q=%s&page=%d", "a b&c", 2);
    expect_str("query-amp-escaped", &b, "<a href=\"/people?q=a%20b%26c&amp;page=2\"");
    html_lit(&h, ">");

    buf_reset(&b);
    html_lit(&h, "<a");
    html_href(&h, "/posts/%lld/comments/%zu%s", 42LL, (size_t)7, no_text);
    expect_str("numbers-and-null", &b, "<a href=\"/posts/42/comments/7\"");
    html_lit(&h, ">");

    buf_reset(&b);
    html_lit(&h, "<img");
    html_src(&h, "/files/%s/thumb", "a b");
    html_lit(&h, " alt=\"\">");
    expect_str("src", &b, "<img src=\"/files/a%20b/thumb\" alt=\"\">");

    buf_reset(&b);
    html_lit(&h, "<form method=\"get\"");
    html_action(&h, "/search");
    html_lit(&h, ">");
    expect_str("action-after-attr", &b, "<form method=\"get\" action=\"/search\">");
    buf_release(&b);
}

struct ext_case {
    const char *id;
    const char *url;
    const char *want; /* the whole output after "<a" */
};

static void test_href_ext(void **state)
{
    static const struct ext_case cases[] = {
        {"https", "https://example.org/a?b=1&c=2",
         " href=\"https://example.org/a?b=1&amp;c=2\" rel=\"nofollow noopener\""},
        {"http-upper", "HTTP://EXAMPLE.ORG",
         " href=\"HTTP://EXAMPLE.ORG\" rel=\"nofollow noopener\""},
        {"mailto", "mailto:zoe@example.org",
         " href=\"mailto:zoe@example.org\" rel=\"nofollow noopener\""},
        {"trimmed", "  https://example.org/ \n",
         " href=\"https://example.org/\" rel=\"nofollow noopener\""},
        {"quote-escaped", "https://x.org/\"onmouseover=\"a",
         " href=\"https://x.org/&quot;onmouseover=&quot;a\" rel=\"nofollow noopener\""},
        {"javascript", "javascript:alert(1)", ""},
        {"javascript-mixed-case", "JaVaScRiPt:alert(1)", ""},
        {"javascript-leading-space", " javascript:alert(1)", ""},
        {"javascript-leading-control", "\x01javascript:alert(1)", ""},
        {"javascript-tab-inside", "java\tscript:alert(1)", ""},
        {"data", "data:text/html,<script>alert(1)</script>", ""},
        {"vbscript", "vbscript:msgbox(1)", ""},
        {"https-tab-inside", "ht\ttps://example.org", ""},
        {"protocol-relative", "//evil.example", ""},
        {"relative", "/people", ""},
        {"no-scheme", "example.org", ""},
        {"empty", "", ""},
        {"spaces-only", "   ", ""},
        {"null", NULL, ""},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct buf b = BUF_INIT;
        struct html h;

        html_init(&h, &b);
        html_lit(&h, "<a");
        buf_reset(&b);
        html_href_ext(&h, cases[i].url);
        expect_str(cases[i].id, &b, cases[i].want);
        html_lit(&h, ">x</a>");
        assert_int_equal(h.state, HS_TEXT);
        buf_release(&b);
    }
}

/* ---- html_fmt context tracking ---------------------------------------------------- */

static void test_fmt_contexts(void **state)
{
    const char *volatile no_text = NULL; /* hidden from the compiler's format checks */
    struct buf b = BUF_INIT;
    struct html h;

    (void)state;
    html_init(&h, &b);

    html_fmt(&h, "<p class=\"note\">%s</p>", "<b>&");
    expect_str("text", &b, "<p class=\"note\">&lt;b&gt;&amp;</p>");
    assert_int_equal(h.state, HS_TEXT);

    buf_reset(&b);
    html_fmt(&h, "<input value=\"%s\" title='%s' data-x=\"%s\">", "a\"b", "it's", no_text);
    expect_str("quoted-attrs", &b, "<input value=\"a&quot;b\" title='it&#39;s' data-x=\"\">");
    assert_int_equal(h.state, HS_TEXT);

    /* A value split over several calls: the state carries over. */
    buf_reset(&b);
    html_fmt(&h, "<input type=\"text\" name=\"title\" value=\"");
    assert_int_equal(h.state, HS_ATTR_VALUE_DQ);
    assert_string_equal(h.attr, "value");
    html_text(&h, "\"><script>");
    html_fmt(&h, "\" required>");
    expect_str("split-value", &b,
               "<input type=\"text\" name=\"title\" value=\"&quot;&gt;&lt;script&gt;\" required>");
    assert_int_equal(h.state, HS_TEXT);

    buf_reset(&b);
    html_fmt(&h, "<h%d id=\"s%d\">%s</h%d>", 2, -3, "Titre", 2);
    expect_str("numbers", &b, "<h2 id=\"s-3\">Titre</h2>");
    assert_int_equal(h.state, HS_TEXT);

    buf_reset(&b);
    html_fmt(&h, "<td colspan=%d>%u %lld %zu 100%%</td>", 3, 4u, -5LL, (size_t)6);
    expect_str("unquoted-number", &b, "<td colspan=3>4 -5 6 100%</td>");
    assert_int_equal(h.state, HS_TEXT);

    /* Raw text ends at its end tag, whatever the case; a '<' inside does not end it. */
    buf_reset(&b);
    html_lit(&h, "<script type=\"module\">if (a < b) x();");
    assert_int_equal(h.state, HS_RAWTEXT);
    assert_true(h.in_script);
    html_lit(&h, "</SCRIPT><style>p{color:red}</style ><p>");
    assert_int_equal(h.state, HS_TEXT);
    assert_false(h.in_script);
    html_fmt(&h, "%s</p>", "ok");

    /* Self-closing and end tags, the doctype and a comment leave text state. */
    buf_reset(&b);
    html_lit(&h, "<!DOCTYPE html><!-- note --><br/><hr /></div>");
    assert_int_equal(h.state, HS_TEXT);
    html_lit(&h, "<a");
    assert_int_equal(h.state, HS_TAG_NAME);
    html_href(&h, "/");
    assert_int_equal(h.state, HS_TAG);
    html_fmt(&h, " title=\"%s\">%s</a>", "t", "x");
    assert_int_equal(h.state, HS_TEXT);
    buf_release(&b);
}

/* ---- html_capture / html_safe ------------------------------------------------------- */

static void card(struct html *h, void *ctx)
{
    html_fmt(h, "<b>%s</b>", (const char *)ctx);
}

static void test_capture(void **state)
{
    struct arena a;
    struct buf b = BUF_INIT;
    struct html h;
    struct safe_html s;

    (void)state;
    arena_init(&a);
    s = html_capture(&a, card, "<i>");
    expect_bytes("capture", s.html, s.len, "<b>&lt;i&gt;</b>", 16);
    html_init(&h, &b);
    html_lit(&h, "<div>");
    html_safe(&h, s);
    html_safe(&h, (struct safe_html){.html = NULL, .len = 0});
    html_lit(&h, "</div>");
    expect_str("safe", &b, "<div><b>&lt;i&gt;</b></div>");
    buf_release(&b);
    arena_clear(&a);
}

/* ---- misuses that must BUG() ------------------------------------------------------------ */

static void misuse_href_value(struct html *h)
{
    html_fmt(h, "<a href=\"%s\">", "/x");
}

static void misuse_unquoted(struct html *h)
{
    html_fmt(h, "<td class=%s>", "x");
}

static void misuse_script(struct html *h)
{
    html_fmt(h, "<script>var a = \"%s\";</script>", "x");
}

static void misuse_url_format(struct html *h)
{
    html_lit(h, "<a");
    html_href(h, "https://%s/", "example.org");
}

/* Run fn in a child; true when the child died of SIGABRT. */
static bool dies_of_bug(void (*fn)(struct html *h))
{
    pid_t pid;
    int status = 0;

    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct buf b = BUF_INIT;
        struct html h;

        /* The BUG message is expected: keep the test output clean. */
        if (!freopen("/dev/null", "w", stderr))
            _exit(3);
        html_init(&h, &b);
        fn(&h);
        _exit(0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void test_bug_cases(void **state)
{
    static const struct {
        const char *id;
        void (*fn)(struct html *h);
    } cases[] = {
        {"s-in-href", misuse_href_value},
        {"s-unquoted", misuse_unquoted},
        {"s-in-script", misuse_script},
        {"url-format-not-local", misuse_url_format},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        if (!dies_of_bug(cases[i].fn))
            fail_msg("case %s: expected BUG() (SIGABRT)", cases[i].id);
    }
}

/* ---- layout --------------------------------------------------------------------------- */

struct page_fixture {
    struct arena a;
    struct req r;
};

static void fixture_init(struct page_fixture *f, const char *lang, int64_t viewer_id)
{
    memset(f, 0, sizeof(*f));
    arena_init(&f->a);
    f->r.a = &f->a;
    buf_init_arena(&f->r.out, &f->a);
    f->r.lang = lang;
    f->r.path = "/people";
    f->r.csrf_token = "tok\"en";
    f->r.viewer.id = viewer_id;
    f->r.viewer.name = "Zoé <admin>";
    f->r.viewer.role = ROLE_MEMBER;
}

static void expect_contains(const char *id, const char *haystack, const char *needle)
{
    if (!strstr(haystack, needle))
        fail_msg("case %s: \"%s\" not found in:\n%s", id, needle, haystack);
}

static void expect_absent(const char *id, const char *haystack, const char *needle)
{
    if (strstr(haystack, needle))
        fail_msg("case %s: \"%s\" found in:\n%s", id, needle, haystack);
}

static void test_layout_member(void **state)
{
    struct page_fixture f;
    struct html *h;
    const char *out;

    (void)state;
    fixture_init(&f, "fr", 7);
    h = page_begin(&f.r, &(struct page){.title = "Annuaire & co", .nav = NAV_PEOPLE});
    html_fmt(h, "<h1>%s</h1>", "Annuaire");
    assert_int_equal(page_end(&f.r), 0);
    out = f.r.out.s;

    assert_int_equal(f.r.status, 200);
    assert_string_equal(f.r.out_type, "text/html; charset=utf-8");
    expect_contains("doctype", out, "<!DOCTYPE html>\n<html lang=\"fr\">");
    expect_contains("title", out, "<title>Annuaire &amp; co · Ruche</title>");
    expect_contains("css", out, "<link rel=\"stylesheet\" href=\"/static/ruche.css\">");
    expect_contains("nav-current", out, "<a href=\"/people\" aria-current=\"page\">Annuaire</a>");
    /* Sections whose feature is not served yet stay out of the navigation. */
    expect_absent("nav-unserved", out, "href=\"/messages\"");
    expect_contains("nav-other", out, "<a href=\"/\">Accueil</a>");
    expect_contains("search", out, "action=\"/people\"");
    expect_contains("member-name", out, "<summary>Zoé &lt;admin&gt;</summary>");
    expect_contains("logout", out,
                    "<form method=\"post\" action=\"/logout\"><input type=\"hidden\" "
                    "name=\"csrf_token\" value=\"tok&quot;en\">");
    expect_contains("logout-all", out, "action=\"/logout/all\"");
    expect_contains("main", out, "<main id=\"main\"");
    expect_contains("lang-form", out, "action=\"/settings/language\"");
    expect_contains("lang-value", out, "<input type=\"hidden\" name=\"lang\" value=\"en\">");
    expect_contains("lang-button", out, "id=\"lang-switch\" lang=\"en\">English</button>");
    expect_contains("end", out, "</footer>\n</body></html>\n");
    expect_absent("no-inline-style", out, "style=");
    /* The only script is the live-update file: no inline script (the CSP forbids it). */
    expect_contains("live-script", out, "<script src=\"/static/live.js\" defer></script>");
    expect_absent("no-inline-script", out, "<script>");
    arena_clear(&f.a);
}

static void test_layout_bare_and_anonymous(void **state)
{
    struct page_fixture f;
    struct html *h;

    (void)state;
    fixture_init(&f, "de", 7);
    f.r.status = 404;
    h = page_begin(&f.r, &(struct page){.title = "Connexion", .bare = true});
    html_lit(h, "<h1>Connexion</h1>");
    page_end(&f.r);
    assert_int_equal(f.r.status, 404);
    expect_contains("unsupported-lang", f.r.out.s, "<html lang=\"fr\">");
    expect_absent("bare-no-nav", f.r.out.s, "<nav");
    expect_absent("bare-no-menu", f.r.out.s, "<details");
    arena_clear(&f.a);

    fixture_init(&f, "fr", 0);
    h = page_begin(&f.r, &(struct page){.title = NULL, .nav = NAV_HOME});
    html_lit(h, "<h1>Ruche</h1>");
    page_end(&f.r);
    expect_contains("untitled", f.r.out.s, "<title>Ruche</title>");
    expect_absent("anonymous-no-nav", f.r.out.s, "<nav");
    expect_absent("anonymous-no-logout", f.r.out.s, "/logout");
    arena_clear(&f.a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_text_nul),
        cmocka_unit_test(test_url_encode),
        cmocka_unit_test(test_url_decode),
        cmocka_unit_test(test_href),
        cmocka_unit_test(test_href_ext),
        cmocka_unit_test(test_fmt_contexts),
        cmocka_unit_test(test_capture),
        cmocka_unit_test(test_bug_cases),
        cmocka_unit_test(test_layout_member),
        cmocka_unit_test(test_layout_bare_and_anonymous),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
