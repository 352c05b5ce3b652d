/*
 * test_feed_attach.c - the checks of feed/feed_attach.c that need no request or database:
 * cleaning file names, recognising allowed files by extension and content, and the
 * Content-Disposition header.  The file is included to reach its static functions.
 *
 * Names: folders, control and direction characters (U+202E would show "exe.pdf" backwards)
 * and invalid UTF-8 never survive; long names are cut to ATTACH_NAME_MAX characters keeping
 * their extension.  Types: an extension of the allow-list is not enough, the content must
 * match it (a Windows executable named .pdf, a PDF named .docx, a zip without OpenDocument's
 * mimetype entry, text holding NUL are refused).  Cases are tables with ids.
 */
#include "../../../src/feed/feed_attach.c"

#include <setjmp.h>

#include <cmocka.h>

/* ---- clean_name --------------------------------------------------------------------- */

static void test_clean_name(void **state)
{
    static const struct {
        const char *id, *raw, *clean;
    } cases[] = {
        {"plain", "rapport.pdf", "rapport.pdf"},
        {"accents", "Compte rendu été 2024.odt", "Compte rendu été 2024.odt"},
        {"unix-path", "/home/alice/../../etc/passwd", "passwd"},
        {"windows-path", "C:\\Users\\alice\\bilan.xlsx", "bilan.xlsx"},
        {"trailing-slash", "dossier/", "fichier"},
        {"null", NULL, "fichier"},
        {"empty", "", "fichier"},
        {"dots-only", "...", "fichier"},
        {"leading-spaces", "   note.txt", "note.txt"},
        {"trailing-dots-spaces", "note.txt. . ", "note.txt"},
        {"controls",
         "a\x01\x1f\x7f"
         "b.txt",
         "ab.txt"},
        {"c1-control",
         "a\xc2\x85"
         "b.txt",
         "ab.txt"},
        {"rtl-override",
         "facture\xe2\x80\xae"
         "fdp.exe",
         "facturefdp.exe"},
        {"bidi-isolates", "\xe2\x81\xa6x\xe2\x81\xa9.txt", "x.txt"},
        {"bom", "\xef\xbb\xbfliste.csv", "liste.csv"},
        {"invalid-utf8", "caf\xe9.txt", "caf_.txt"},
        {"truncated-utf8", "a\xc3", "a_"},
        {"overlong",
         "\xc0\xaf"
         "x.txt",
         "__x.txt"},
        {"quote-as-sent", "Rapport %22final%22.pdf", "Rapport \"final\".pdf"},
        {"line-break-as-sent", "a%0D%0Ab.txt", "ab.txt"},
        {"percent-kept", "100%.txt", "100%.txt"},
        {"emoji", "\xf0\x9f\x90\x9d ruche.png", "\xf0\x9f\x90\x9d ruche.png"},
    };
    struct arena a;

    (void)state;
    arena_init(&a);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const char *got = clean_name(&a, cases[i].raw);
        if (strcmp(got, cases[i].clean) != 0)
            fail_msg("case %s: got \"%s\", want \"%s\"", cases[i].id, got, cases[i].clean);
    }
    arena_clear(&a);
}

static void test_clean_name_long(void **state)
{
    struct arena a;
    char raw[400];
    const char *got;

    (void)state;
    arena_init(&a);
    /* 150 x "é" then ".pdf": cut to ATTACH_NAME_MAX characters, ".pdf" kept. */
    for (int i = 0; i < 150; i++)
        memcpy(raw + 2 * i, "\xc3\xa9", 2);
    memcpy(raw + 300, ".pdf", 5);
    got = clean_name(&a, raw);
    assert_int_equal(str_utf8_len(got, strlen(got)), ATTACH_NAME_MAX);
    assert_true(str_is_utf8(got, strlen(got)));
    assert_string_equal(got + strlen(got) - 4, ".pdf");
    /* An "extension" too long to be one is cut with the rest. */
    memset(raw, 'a', 200);
    memcpy(raw + 100, ".", 1);
    raw[200] = '\0';
    got = clean_name(&a, raw);
    assert_int_equal(strlen(got), ATTACH_NAME_MAX);
    assert_memory_equal(got, raw, ATTACH_NAME_MAX);
    arena_clear(&a);
}

/* ---- file_type ------------------------------------------------------------------------- */

/* A zip whose first entry is a stored "mimetype" holding mime (what OpenDocument writes). */
static size_t odf_zip(char *out, const char *mime)
{
    size_t n = strlen(mime);

    memset(out, 0, 30);
    memcpy(out, "PK\3\4", 4);
    out[26] = 8; /* name length */
    memcpy(out + 30, "mimetype", 8);
    memcpy(out + 38, mime, n);
    memcpy(out + 38 + n, "PK\3\4", 4);
    return 38 + n + 4;
}

static void test_file_type(void **state)
{
    static const char ole[] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 rest";
    static const char docx[] = "PK\3\4\x14\0\0\0\x08\0[Content_Types].xml....word/document.xml";
    static const char xlsx[] = "PK\3\4\x14\0\0\0\x08\0[Content_Types].xml....xl/workbook.xml";
    static const char exe[] = "MZ\x90\0\3\0\0\0This program cannot be run in DOS mode.";
    static const struct {
        const char *id, *name, *data;
        size_t len;       /* 0: strlen(data) */
        const char *mime; /* NULL: refused */
    } cases[] = {
        {"pdf", "a.pdf", "%PDF-1.7\n", 0, "application/pdf"},
        {"pdf-upper-ext", "A.PDF", "%PDF-1.4\n", 0, "application/pdf"},
        {"exe-as-pdf", "a.pdf", exe, sizeof(exe) - 1, NULL},
        {"pdf-as-exe", "a.exe", "%PDF-1.7\n", 0, NULL},
        {"pdf-no-ext", "rapport", "%PDF-1.7\n", 0, NULL},
        {"pdf-as-docx", "a.docx", "%PDF-1.7\n", 0, NULL},
        {"docx", "a.docx", docx, sizeof(docx) - 1,
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"xlsx-as-docx", "a.docx", xlsx, sizeof(xlsx) - 1, NULL},
        {"xlsx", "a.xlsx", xlsx, sizeof(xlsx) - 1,
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        {"doc", "a.doc", ole, sizeof(ole) - 1, "application/msword"},
        {"xls", "a.xls", ole, sizeof(ole) - 1, "application/vnd.ms-excel"},
        {"ole-as-pdf", "a.pdf", ole, sizeof(ole) - 1, NULL},
        {"text", "a.txt", "Bonjour\r\n\tà tous\f", 0, "text/plain"},
        {"latin1-csv", "a.csv", "nom;pr\xe9nom\n", 0, "text/csv"},
        {"text-nul", "a.txt", "a\0b", 3, NULL},
        {"text-escape", "a.txt", "a\x1b[31mb", 0, NULL},
        {"exe-as-txt", "a.txt", exe, sizeof(exe) - 1, NULL},
        {"html", "a.html", "<script>alert(1)</script>", 0, NULL},
        {"svg", "a.svg", "<svg onload=alert(1)>", 0, NULL},
        {"gif", "a.gif", "GIF89a", 0, NULL},
        {"short-zip", "a.odt", "PK\3\4", 0, NULL},
        {"empty-name", "", "%PDF-1.7", 0, NULL},
        {"dot-pdf-only", ".pdf", "%PDF-1.7", 0, NULL},
    };
    char odt[128], odt_as_ods[128], odt_compressed[128];
    size_t odt_len = odf_zip(odt, "application/vnd.oasis.opendocument.text");
    size_t odt_as_ods_len = odf_zip(odt_as_ods, "application/vnd.oasis.opendocument.text");
    size_t odt_compressed_len = odf_zip(odt_compressed, "application/vnd.oasis.opendocument.text");
    struct arena a;

    (void)state;
    odt_compressed[8] = 8; /* deflated: not what OpenDocument writes */
    arena_init(&a);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct kv f = {.name = "files",
                       .value = cases[i].data,
                       .value_len = cases[i].len ? cases[i].len : strlen(cases[i].data)};
        const struct file_type *t = file_type(&a, cases[i].name, &f);
        if (cases[i].mime ? !t || strcmp(t->mime, cases[i].mime) != 0 : t != NULL)
            fail_msg("case %s: got %s", cases[i].id, t ? t->mime : "refused");
    }
    {
        struct kv f = {.name = "files", .value = odt, .value_len = odt_len};
        const struct file_type *t = file_type(&a, "compte-rendu.odt", &f);
        assert_non_null(t);
        assert_string_equal(t->mime, "application/vnd.oasis.opendocument.text");
        f = (struct kv){.name = "files", .value = odt_as_ods, .value_len = odt_as_ods_len};
        assert_null(file_type(&a, "tableau.ods", &f));
        f = (struct kv){.name = "files", .value = odt_compressed, .value_len = odt_compressed_len};
        assert_null(file_type(&a, "compte-rendu.odt", &f));
        f = (struct kv){.name = "files", .value = odt, .value_len = 20}; /* truncated */
        assert_null(file_type(&a, "compte-rendu.odt", &f));
    }
    for (size_t i = 0; i < ARRAY_SIZE(types); i++)
        assert_true(mime_allowed(types[i].mime));
    assert_true(mime_allowed("image/jpeg"));
    assert_false(mime_allowed("text/html"));
    assert_false(mime_allowed("image/svg+xml"));
    arena_clear(&a);
}

/* ---- disposition --------------------------------------------------------------------------- */

static void test_disposition(void **state)
{
    static const struct {
        const char *id, *how, *name, *header;
    } cases[] = {
        {"plain", "attachment", "bilan-2024.pdf",
         "attachment; filename=\"bilan-2024.pdf\"; filename*=UTF-8''bilan-2024.pdf"},
        {"space-accent", "attachment", "été 2024.odt",
         "attachment; filename=\"__t__ 2024.odt\"; filename*=UTF-8''%C3%A9t%C3%A9%202024.odt"},
        {"quotes-backslash-semicolon", "attachment", "a\"b\\c;d.txt",
         "attachment; filename=\"a_b_c_d.txt\"; filename*=UTF-8''a%22b%5Cc%3Bd.txt"},
        {"inline", "inline", "plan.jpg",
         "inline; filename=\"plan.jpg\"; filename*=UTF-8''plan.jpg"},
    };
    struct arena a;

    (void)state;
    arena_init(&a);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const char *got = disposition(&a, cases[i].how, cases[i].name);
        if (strcmp(got, cases[i].header) != 0)
            fail_msg("case %s: got %s", cases[i].id, got);
    }
    assert_string_equal(jpeg_name(&a, "plan.png"), "plan.jpg");
    assert_string_equal(jpeg_name(&a, "archive.tar.webp"), "archive.tar.jpg");
    assert_string_equal(jpeg_name(&a, "photo"), "photo.jpg");
    assert_string_equal(jpeg_name(&a, ".png"), ".png.jpg");
    arena_clear(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_name),
        cmocka_unit_test(test_clean_name_long),
        cmocka_unit_test(test_file_type),
        cmocka_unit_test(test_disposition),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
