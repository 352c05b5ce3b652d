/*
 * test_feed_text.c - feed_tag_fold() and feed_render() of feed/feed_text.c.
 *
 * feed_render() needs no database: it links only the mentions it is given,
 * so each case passes the same small list of members.  Cases are tables
 * with ids; each names substrings the output must and must not hold, so a
 * failure names its case and shows the HTML.  The safety cases check that
 * the Markdown renderer under the linker stays in safe mode (raw HTML
 * omitted, javascript: and data: URLs emptied) and that a linked word
 * never carries markup of its own.
 */
#include "core/arena.h"
#include "feed/feed.h"
#include "web/html.h"

#include <setjmp.h>

#include <cmocka.h>

/* ---- feed_tag_fold -------------------------------------------------------------- */

static void test_tag_fold(void **state)
{
    static const struct {
        const char *id, *tag, *folded; /* folded NULL: not a tag */
    } cases[] = {
        {"plain", "compta", "compta"},
        {"accents-case", "Comptabilité", "comptabilite"},
        {"accent-first", "éco-responsable", "eco-responsable"},
        {"underscore", "mot_clé", "mot_cle"},
        {"digits-and-letters", "2025bilan", "2025bilan"},
        {"digits-only", "123", NULL},
        {"dash-only", "-", NULL},
        {"underscore-only", "__", NULL},
        {"empty", "", NULL},
        {"space", "deux mots", NULL},
        {"punctuation", "fin!", NULL},
        {"dot", "a.b", NULL},
        {"slash", "a/b", NULL},
        {"quote", "l'eau", NULL},
        {"lt", "a<b", NULL},
        {"bad-utf8", "caf\xc3", NULL},
        {"overlong-utf8", "\xc0\xaf", NULL},
        {"fifty", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
        {"fifty-one", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL},
        /* The limit counts characters, not bytes: 50 "é" are 100 bytes. */
        {"fifty-accented", "éééééééééééééééééééééééééééééééééééééééééééééééééé",
         "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"},
        {"fifty-one-accented", "ééééééééééééééééééééééééééééééééééééééééééééééééééé", NULL},
    };

    (void)state;
    assert_int_equal(FEED_TAG_MAX, 50);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct arena a;
        const char *got;

        arena_init(&a);
        got = feed_tag_fold(&a, cases[i].tag);
        if (!cases[i].folded && got)
            fail_msg("case %s: \"%s\" folded to \"%s\", expected no tag", cases[i].id, cases[i].tag,
                     got);
        if (cases[i].folded && (!got || strcmp(got, cases[i].folded) != 0))
            fail_msg("case %s: \"%s\" folded to \"%s\", expected \"%s\"", cases[i].id, cases[i].tag,
                     got ? got : "(null)", cases[i].folded);
        arena_clear(&a);
    }
}

/* ---- feed_render ---------------------------------------------------------------- */

static const struct feed_mention members[] = {
    {.id = 7, .name = "Claire Martin", .handle = "claire.martin"},
    {.id = 9, .name = "Hélène Lefèvre", .handle = "hlefevre"},
};

struct render_case {
    const char *id;
    const char *in;
    const char *must[3];     /* substrings the output holds (NULL-ended) */
    const char *must_not[3]; /* substrings it never holds (NULL-ended) */
};

static const struct render_case render_cases[] = {
    /* tags */
    {"tag", "Bilan #compta du mois", {"<a href=\"/tags/compta\">#compta</a> du mois"}, {NULL}},
    {"tag-folded", "#Comptabilité", {"<a href=\"/tags/comptabilite\">#Comptabilité</a>"}, {NULL}},
    {"tag-start-of-line", "#Titre sans espace", {"<a href=\"/tags/titre\">#Titre</a>"}, {NULL}},
    {"tag-accented-dash",
     "vive le #éco-responsable !",
     {"<a href=\"/tags/eco-responsable\">#éco-responsable</a> !"},
     {NULL}},
    {"tag-trailing-dash", "#fin- de ligne", {"<a href=\"/tags/fin\">#fin</a>- de"}, {NULL}},
    {"tag-trailing-dashes", "#fin--", {"<a href=\"/tags/fin\">#fin</a>--"}, {NULL}},
    {"tag-punctuation",
     "(#paie), #rh.",
     {"(<a href=\"/tags/paie\">#paie</a>)", "<a href=\"/tags/rh\">#rh</a>."},
     {NULL}},
    {"tag-two", "#a1 #b2", {"href=\"/tags/a1\"", "href=\"/tags/b2\""}, {NULL}},
    {"tag-french-punctuation",
     "la #formation… et « #paie » puis #rh\u00a0!",
     {"<a href=\"/tags/formation\">#formation</a>…", "<a href=\"/tags/paie\">#paie</a> »",
      "<a href=\"/tags/rh\">#rh</a>\u00a0!"},
     {NULL}},
    {"tag-c-sharp", "Je code en C# et F#.", {"C# et F#."}, {"/tags/"}},
    {"tag-digits", "Ticket #123 fermé", {"Ticket #123 fermé"}, {"/tags/"}},
    {"tag-after-hash", "##double", {NULL}, {"/tags/"}},
    {"tag-in-word", "abc#def", {"abc#def"}, {"/tags/"}},
    {"tag-heading", "# Titre", {"<h1>Titre</h1>"}, {"/tags/"}},
    {"tag-code-span", "voir `#compta` ici", {"<code>#compta</code>"}, {"/tags/"}},
    {"tag-code-block", "```\n#compta\n```", {"#compta"}, {"/tags/"}},
    {"tag-indented-code", "    #compta\n", {"<pre><code>#compta"}, {"/tags/"}},
    {"tag-in-link-text",
     "[lien #compta](https://example.org/)",
     {"<a href=\"https://example.org/\">lien #compta</a>"},
     {"/tags/"}},
    {"tag-in-url",
     "https://example.org/page#section",
     {"https://example.org/page#section"},
     {"/tags/"}},
    {"tag-in-autolink",
     "<https://example.org/#ancre>",
     {"href=\"https://example.org/#ancre\""},
     {"/tags/"}},
    {"tag-in-www", "www.example.org/#ancre", {"#ancre"}, {"/tags/"}},
    {"tag-in-image-alt", "![#photo](https://example.org/a.png)", {"alt=\"#photo\""}, {"/tags/"}},
    {"tag-fifty",
     "#aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     {"<a href=\"/tags/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">"},
     {NULL}},
    {"tag-fifty-one", "#aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", {NULL}, {"/tags/"}},
    {"tag-bold", "**#important**", {"<strong><a href=\"/tags/important\">#important</a>"}, {NULL}},
    /* mentions */
    {"mention-name-comma",
     "Merci @Claire Martin, bravo",
     {"Merci <a href=\"/people/7\">@Claire Martin</a>, bravo"},
     {NULL}},
    {"mention-name-folded",
     "@claire martin !",
     {"<a href=\"/people/7\">@claire martin</a> !"},
     {NULL}},
    {"mention-accents",
     "@Hélène Lefèvre et @helene lefevre",
     {"<a href=\"/people/9\">@Hélène Lefèvre</a> et", "<a href=\"/people/9\">@helene lefevre</a>"},
     {NULL}},
    {"mention-handle-dot",
     "Demande à @claire.martin.",
     {"<a href=\"/people/7\">@claire.martin</a>."},
     {NULL}},
    {"mention-handle-end", "cc @hlefevre", {"<a href=\"/people/9\">@hlefevre</a>"}, {NULL}},
    {"mention-handle-case",
     "cc @Claire.Martin",
     {"<a href=\"/people/7\">@Claire.Martin</a>"},
     {NULL}},
    {"mention-first-name-only", "@Claire seule", {"@Claire seule"}, {"/people/"}},
    {"mention-longer-name", "@Claire Martinez", {"@Claire Martinez"}, {"/people/"}},
    {"mention-unknown", "@Jean Inconnu a dit", {"@Jean Inconnu a dit"}, {"/people/"}},
    {"mention-email", "Écrire à a@b.fr ou claire.martin@example.org", {NULL}, {"/people/"}},
    {"mention-in-word", "x@Claire Martin", {NULL}, {"/people/"}},
    {"mention-code", "`@Claire Martin`", {"<code>@Claire Martin</code>"}, {"/people/"}},
    {"mention-in-link",
     "[@Claire Martin](https://example.org/)",
     {"https://example.org/"},
     {"/people/"}},
    {"mention-and-tag",
     "@Claire Martin #paie",
     {"<a href=\"/people/7\">@Claire Martin</a> <a href=\"/tags/paie\">#paie</a>"},
     {NULL}},
    {"mention-twice",
     "@hlefevre puis @hlefevre",
     {"<a href=\"/people/9\">@hlefevre</a> puis <a href=\"/people/9\">@hlefevre</a>"},
     {NULL}},
    /* Markdown safety under the linker */
    {"js-link", "[x](javascript:alert(1))", {"<a href=\"\">x</a>"}, {"javascript:"}},
    {"js-link-upper", "[x](JAVASCRIPT:alert(1))", {"<a href=\"\">x</a>"}, {"JAVASCRIPT:"}},
    {"js-link-entity", "[x](&#x6A;avascript:alert(1))", {NULL}, {"avascript:", "&#x6A;"}},
    {"js-image", "![x](javascript:alert(1))", {"<img src=\"\" alt=\"x\""}, {"javascript:"}},
    {"js-reference", "[x][r]\n\n[r]: javascript:alert(1)", {"<a href=\"\">x</a>"}, {"javascript:"}},
    {"js-autolink", "<javascript:alert(1)>", {NULL}, {"href=\"javascript:"}},
    {"data-link",
     "[x](data:text/html,<script>alert(1)</script>)",
     {NULL},
     {"data:text", "<script"}},
    {"vbscript-link", "[x](vbscript:msgbox)", {"<a href=\"\">"}, {"vbscript:"}},
    {"script", "<script>alert(1)</script>", {"raw HTML omitted"}, {"<script"}},
    {"script-broken", "<scr<script>ipt>alert(1)</script>", {NULL}, {"<script", "<scr<"}},
    {"img-onerror", "<img src=x onerror=alert(1)>", {"raw HTML omitted"}, {"<img", "onerror"}},
    {"svg-onload", "<svg onload=alert(1)>", {"raw HTML omitted"}, {"<svg", "onload"}},
    {"a-data", "<a href=\"data:text/html,x\">x</a>", {NULL}, {"<a href=\"data", "data:text"}},
    {"tag-then-html",
     "#compta<b onclick=alert(1)>x</b>",
     {"<a href=\"/tags/compta\">#compta</a>"},
     {"<b ", "onclick"}},
    {"mention-then-html",
     "@Claire Martin<img src=x onerror=alert(1)>",
     {"<a href=\"/people/7\">@Claire Martin</a>"},
     {"<img", "onerror"}},
    {"escaped-text",
     "#a & <b> \"q\"",
     {"<a href=\"/tags/a\">#a</a> &amp; ", "&quot;q&quot;"},
     {"<b>"}},
};

static void check_render(const struct render_case *c, const struct feed_mention *m, size_t m_len)
{
    struct arena a;
    struct safe_html out;
    char *s;

    arena_init(&a);
    out = feed_render(&a, c->in, m, m_len);
    s = arena_strndup(&a, out.html, out.len);
    for (size_t k = 0; k < ARRAY_SIZE(c->must) && c->must[k]; k++)
        if (!strstr(s, c->must[k]))
            fail_msg("case %s: \"%s\" lacks \"%s\"", c->id, s, c->must[k]);
    for (size_t k = 0; k < ARRAY_SIZE(c->must_not) && c->must_not[k]; k++)
        if (strstr(s, c->must_not[k]))
            fail_msg("case %s: \"%s\" holds \"%s\"", c->id, s, c->must_not[k]);
    arena_clear(&a);
}

static void test_render(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(render_cases); i++)
        check_render(&render_cases[i], members, ARRAY_SIZE(members));
}

/* Without the recorded mentions nothing becomes a profile link; tags still do. */
static void test_render_without_mentions(void **state)
{
    static const struct render_case cases[] = {
        {"no-mentions-name", "@Claire Martin #paie", {"href=\"/tags/paie\""}, {"/people/"}},
        {"no-mentions-handle", "@claire.martin", {"@claire.martin"}, {"/people/"}},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        check_render(&cases[i], NULL, 0);
}

static void test_render_empty(void **state)
{
    struct arena a;

    (void)state;
    arena_init(&a);
    assert_int_equal(feed_render(&a, "", members, ARRAY_SIZE(members)).len, 0);
    arena_clear(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tag_fold),
        cmocka_unit_test(test_render),
        cmocka_unit_test(test_render_without_mentions),
        cmocka_unit_test(test_render_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
