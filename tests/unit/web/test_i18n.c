/*
 * test_i18n.c - catalogs and language negotiation.
 *
 * Includes i18n.c itself (h2o's t/00unit style) to feed the .po parser
 * hand-written catalogs; the embedded po/en.po is tested through the
 * public API, as the server uses it.
 */
#include "web/i18n.c"

#include "core/arena.h"
#include "http/http.h"
#include "web/layout.h"

#include <setjmp.h>

#include <cmocka.h>

static int setup(void **state)
{
    (void)state;
    return i18n_init() == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    i18n_release();
    return 0;
}

/* ---- negotiation ------------------------------------------------------- */

struct negotiate_case {
    const char *id;
    const char *header;
    const char *want;
};

static void test_negotiate(void **state)
{
    static const struct negotiate_case cases[] = {
        {"null", NULL, "fr"},
        {"empty", "", "fr"},
        {"en-us-first", "en-US,en;q=0.9,fr;q=0.8", "en"},
        {"fr-first", "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", "fr"},
        {"unsupported", "de", "fr"},
        {"unsupported-then-en", "de-DE,de;q=0.9,en;q=0.5", "en"},
        {"q-order", "fr;q=0.5, en;q=0.9", "en"},
        {"q-zero-refuses", "en;q=0, de", "fr"},
        {"q-three-decimals", "fr;q=0.801,en;q=0.8", "fr"},
        {"tie-keeps-first", "en,fr", "en"},
        {"upper-case", "EN-GB", "en"},
        {"spaces", " de , en ; q=0.7 ", "en"},
        {"upper-q", "fr;Q=0.1,en;q=0.2", "en"},
        {"malformed-q", "en;q=abc", "fr"},
        {"q-over-one", "en;q=2", "fr"},
        {"q-one-point-five", "en;q=1.5", "fr"},
        {"other-param", "en;level=1;q=0.4,de", "en"},
        {"wildcard", "*", "fr"},
        {"three-letter-prefix", "eng,enx", "fr"},
        {"one-letter", "e", "fr"},
        {"garbage", ";;,,;q=,=,-", "fr"},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const char *got = i18n_negotiate(cases[i].header);

        if (strcmp(got, cases[i].want) != 0)
            fail_msg("case %s: got %s, want %s", cases[i].id, got, cases[i].want);
    }
}

static void test_is_supported(void **state)
{
    (void)state;
    assert_true(i18n_is_supported("fr"));
    assert_true(i18n_is_supported("en"));
    assert_false(i18n_is_supported("de"));
    assert_false(i18n_is_supported("EN"));
    assert_false(i18n_is_supported("en-US"));
    assert_false(i18n_is_supported(""));
    assert_false(i18n_is_supported(NULL));
}

/* ---- embedded catalog ---------------------------------------------------- */

static void test_lookup(void **state)
{
    static const char unknown[] = "Aucune traduction pour cette phrase";
    static const char known[] = "Se déconnecter";

    (void)state;
    assert_string_equal(i18n_text("en", known), "Sign out");
    assert_string_equal(i18n_text("en", "Se déconnecter partout"), "Sign out everywhere");
    assert_ptr_equal(i18n_text("fr", known), known);
    assert_ptr_equal(i18n_text("en", unknown), unknown);
    assert_ptr_equal(i18n_text("de", known), known);
    assert_ptr_equal(i18n_text(NULL, known), known);
    /* The header entry (empty msgid) is not a translation. */
    assert_string_equal(i18n_text("en", ""), "");
}

/* Every string of the page frame has an English entry (found, even when identical). */
static void test_layout_strings_translated(void **state)
{
    static const char *const ids[] = {
        "Accueil",
        "Aller au contenu",
        "Annuaire",
        "Communautés",
        "English",
        "Français",
        "Messages",
        "Mon compte",
        "Navigation principale",
        "Rechercher",
        "Rechercher des collègues",
        "Se déconnecter",
        "Se déconnecter partout",
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
        if (i18n_text("en", ids[i]) == ids[i])
            fail_msg("case %s: no English entry in po/en.po", ids[i]);
    }
}

static void test_layout_english(void **state)
{
    struct arena a;
    struct req r;
    struct html *h;

    (void)state;
    memset(&r, 0, sizeof(r));
    arena_init(&a);
    r.a = &a;
    buf_init_arena(&r.out, &a);
    r.lang = "en";
    r.csrf_token = "t";
    r.viewer.id = 1;
    r.viewer.name = "Zoé";
    r.viewer.role = ROLE_MEMBER;
    h = page_begin(&r, &(struct page){.title = "Directory", .nav = NAV_PEOPLE});
    html_lit(h, "<h1>Directory</h1>");
    page_end(&r);
    assert_non_null(strstr(r.out.s, "<html lang=\"en\">"));
    assert_non_null(strstr(r.out.s, "aria-current=\"page\">Directory</a>"));
    assert_non_null(strstr(r.out.s, ">Sign out everywhere</button>"));
    assert_non_null(strstr(r.out.s, "<input type=\"hidden\" name=\"lang\" value=\"fr\">"));
    assert_non_null(strstr(r.out.s, "lang=\"fr\">Français</button>"));
    arena_clear(&a);
}

/* ---- the .po parser ------------------------------------------------------- */

static const char sample_po[] = "# A comment\n"
                                "msgid \"\"\n"
                                "msgstr \"\"\n"
                                "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
                                "\n"
                                "#: src/x.c\n"
                                "msgid \"Bonjour\"\n"
                                "msgstr \"Hello\"\n"
                                "\n"
                                "msgid \"\"\n"
                                "\"Plusieurs \"\n"
                                "\"lignes\"\n"
                                "msgstr \"\"\n"
                                "\"Several \"\n"
                                "\"lines\"\n"
                                "\n"
                                "msgid \"Guillemets \\\"x\\\"\\tet\\\\ \\n\"\n"
                                "msgstr \"Quotes \\\"x\\\"\\tand\\\\ \\n\"\n"
                                "\n"
                                "msgid \"Pas encore traduit\"\n"
                                "msgstr \"\"\n"
                                "\n"
                                "#, fuzzy\n"
                                "msgid \"Flou\"\n"
                                "msgstr \"Fuzzy\"\n"
                                "\n"
                                "msgctxt \"menu\"\n"
                                "msgid \"Fichier\"\n"
                                "msgstr \"File\"\n"
                                "\n"
                                "msgid \"%d fichier\"\n"
                                "msgid_plural \"%d fichiers\"\n"
                                "msgstr[0] \"%d file\"\n"
                                "msgstr[1] \"%d files\"\n"
                                "\n"
                                "#~ msgid \"Ancien\"\n"
                                "#~ msgstr \"Old\"\n"
                                "msgid \"Sans ligne vide\"\n"
                                "msgstr \"No blank line\"\n"
                                "msgid \"Bonjour\"\n"
                                "msgstr \"Duplicate\"\r\n";

static const char *sample_text(const struct catalog *c, const char *id)
{
    const struct i18n_slot *e = catalog_find(c, id);

    return e ? e->msgstr : NULL;
}

static void test_po_parse(void **state)
{
    struct catalog c = {.lang = "xx", .file = "sample.po"};

    (void)state;
    assert_int_equal(catalog_parse(&c, sample_po, sizeof(sample_po) - 1), 0);
    assert_string_equal(sample_text(&c, "Bonjour"), "Hello"); /* first one kept */
    assert_string_equal(sample_text(&c, "Plusieurs lignes"), "Several lines");
    assert_string_equal(sample_text(&c, "Guillemets \"x\"\tet\\ \n"), "Quotes \"x\"\tand\\ \n");
    assert_string_equal(sample_text(&c, "Sans ligne vide"), "No blank line");
    assert_null(sample_text(&c, "Pas encore traduit"));
    assert_null(sample_text(&c, "Flou"));
    assert_null(sample_text(&c, "Fichier"));
    assert_null(sample_text(&c, "%d fichier"));
    assert_null(sample_text(&c, "Ancien"));
    assert_null(sample_text(&c, ""));
    assert_int_equal(c.count, 4);
    catalog_clear(&c);
}

/* Enough entries to grow the table several times. */
static void test_po_many(void **state)
{
    struct catalog c = {.lang = "xx", .file = "many.po"};
    struct buf po = BUF_INIT;

    (void)state;
    for (int i = 0; i < 500; i++)
        buf_addf(&po, "msgid \"m%d\"\nmsgstr \"t%d\"\n\n", i, i);
    assert_int_equal(catalog_parse(&c, po.s, po.len), 0);
    assert_int_equal(c.count, 500);
    assert_true(c.cap >= 1000);
    for (int i = 0; i < 500; i += 37) {
        char id[16], want[16];

        snprintf(id, sizeof(id), "m%d", i);
        snprintf(want, sizeof(want), "t%d", i);
        assert_string_equal(sample_text(&c, id), want);
    }
    catalog_clear(&c);
    buf_release(&po);
}

static void test_po_errors(void **state)
{
    static const struct {
        const char *id;
        const char *po;
    } cases[] = {
        {"unterminated", "msgid \"abc\nmsgstr \"x\"\n"},
        {"bad-escape", "msgid \"a\\qb\"\nmsgstr \"x\"\n"},
        {"junk-after-string", "msgid \"a\" b\nmsgstr \"x\"\n"},
        {"msgstr-without-msgid", "msgstr \"x\"\n"},
        {"two-msgids", "msgid \"a\"\nmsgid \"b\"\nmsgstr \"x\"\n"},
        {"continuation-first", "\"orphan\"\n"},
        {"unknown-keyword", "msgid \"a\"\nmsgstring \"x\"\n"},
        {"no-quote", "msgid abc\nmsgstr \"x\"\n"},
        {"backslash-at-end", "msgid \"a\\"},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct catalog c = {.lang = "xx", .file = cases[i].id};
        int rc = catalog_parse(&c, cases[i].po, strlen(cases[i].po));

        if (rc != ERR_INVALID)
            fail_msg("case %s: got %d, want ERR_INVALID", cases[i].id, rc);
        catalog_clear(&c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_negotiate),
        cmocka_unit_test(test_is_supported),
        cmocka_unit_test_setup_teardown(test_lookup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_layout_strings_translated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_layout_english, setup, teardown),
        cmocka_unit_test(test_po_parse),
        cmocka_unit_test(test_po_many),
        cmocka_unit_test(test_po_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
