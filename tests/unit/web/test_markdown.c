/*
 * test_markdown.c - markdown_render(): hostile input stays inert, ordinary
 * Markdown renders.
 *
 * Each case names what must appear in the output and what must not, so a
 * failure names its case.
 */
#include "core/arena.h"
#include "web/markdown.h"

#include <setjmp.h>

#include <cmocka.h>

struct md_case {
    const char *id;
    const char *in;
    const char *must;     /* substring the output contains, or NULL */
    const char *must_not; /* substring the output never contains, or NULL */
};

static const struct md_case cases[] = {
    {"script-block", "<script>alert(1)</script>", "raw HTML omitted", "<script"},
    {"script-inline", "hi <script>alert(1)</script> there", "hi ", "<script"},
    {"js-link", "[x](javascript:alert(1))", "<a href=\"\">x</a>", "javascript:"},
    {"js-link-case", "[x](JaVaScRiPt:alert(1))", "<a href=\"\">", "avascript"},
    {"js-link-entity", "[x](&#106;avascript:alert(1))", NULL, "javascript:"},
    {"vbscript-link", "[x](vbscript:msgbox)", "<a href=\"\">", "vbscript:"},
    {"data-link", "[x](data:text/html;base64,PHNjcmlwdD4=)", "<a href=\"\">", "data:text"},
    {"file-link", "[x](file:///etc/passwd)", "<a href=\"\">", "file:"},
    {"img-onerror", "<img src=x onerror=alert(1)>", "raw HTML omitted", "<img"},
    {"img-js", "![a](javascript:alert(1))", "<img src=\"\" alt=\"a\"", "javascript:"},
    {"attr-break", "[x](\"onmouseover=alert(1))", NULL, "\"onmouseover"},
    {"iframe", "<iframe src=\"https://evil.example\"></iframe>", NULL, "<iframe"},
    {"autolink-url", "see https://example.org/a", "<a href=\"https://example.org/a\">", NULL},
    {"autolink-www", "www.example.org", "<a href=\"http://www.example.org\">", NULL},
    {"emphasis", "*un* **deux**", "<em>un</em> <strong>deux</strong>", NULL},
    {"strike", "~~barré~~", "<del>barré</del>", NULL},
    {"list", "- a\n- b\n", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>", NULL},
    {"hardbreak", "a\nb", "a<br />\nb", NULL},
    {"escape-text", "a < b & c", "a &lt; b &amp; c", NULL},
    {"bad-utf8", "caf\xc3", NULL, "\xc3<"},
};

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct arena a;
        struct safe_html out;
        char *s;

        arena_init(&a);
        out = markdown_render(&a, cases[i].in);
        s = arena_strndup(&a, out.html, out.len);
        if (cases[i].must && !strstr(s, cases[i].must))
            fail_msg("case %s: \"%s\" lacks \"%s\"", cases[i].id, s, cases[i].must);
        if (cases[i].must_not && strstr(s, cases[i].must_not))
            fail_msg("case %s: \"%s\" contains \"%s\"", cases[i].id, s, cases[i].must_not);
        arena_clear(&a);
    }
}

static void test_empty(void **state)
{
    struct arena a;

    (void)state;
    arena_init(&a);
    assert_int_equal(markdown_render(&a, "").len, 0);
    assert_int_equal(markdown_render(&a, NULL).len, 0);
    arena_clear(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
