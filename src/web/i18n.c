/*
 * i18n.c - message catalogs and language negotiation.
 *
 * French is the source language: a message id is the French text, so
 * i18n_text("fr", id) returns id without looking anything up.  Other
 * languages come from the .po files embedded in the binary ("po/en.po"),
 * parsed here (msgid/msgstr with "..." continuation lines and C escapes).
 * Comments, the header entry (empty msgid), fuzzy entries, msgctxt and
 * plural entries are skipped; an empty msgstr means "not translated yet"
 * and falls back to the msgid.
 *
 * Long-lived state: one open-addressing hash table per catalog, keyed by
 * the msgid text.  i18n_init() builds them before any thread starts and
 * i18n_release() frees them at shutdown; in between they are read-only, so
 * lookups take no lock.  This is the one place in src/web/ that mallocs.
 */
#include "web/i18n.h"

#include <time.h>

#include "core/buf.h"
#include "core/builtin.h"
#include "core/arena.h"
#include "core/log.h"

struct i18n_slot {
    char *msgid; /* NULL for an empty slot */
    char *msgstr;
    uint32_t hash;
};

struct catalog {
    const char *lang;
    const char *file;        /* embedded file name */
    struct i18n_slot *slots; /* cap slots, a power of two */
    size_t cap;
    size_t count;
};

static struct catalog catalogs[] = {
    {.lang = "en", .file = "po/en.po"},
};

/* ---- hash table ------------------------------------------------------ */

/* 32-bit FNV-1a. */
static uint32_t hash_text(const char *s)
{
    uint32_t h = 2166136261u;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Put an entry in slots without growing; the table must have a free slot. */
static void slots_put(struct i18n_slot *slots, size_t cap, struct i18n_slot e)
{
    size_t i = e.hash & (cap - 1);

    while (slots[i].msgid)
        i = (i + 1) & (cap - 1);
    slots[i] = e;
}

/* The slot holding msgid, or NULL. */
static const struct i18n_slot *catalog_find(const struct catalog *c, const char *msgid)
{
    uint32_t h;
    size_t i;

    if (!c->cap)
        return NULL;
    h = hash_text(msgid);
    for (i = h & (c->cap - 1); c->slots[i].msgid; i = (i + 1) & (c->cap - 1)) {
        if (c->slots[i].hash == h && !strcmp(c->slots[i].msgid, msgid))
            return &c->slots[i];
    }
    return NULL;
}

/* Keep the load factor under one half. */
static void catalog_grow(struct catalog *c)
{
    size_t cap = c->cap ? c->cap * 2 : 64;
    struct i18n_slot *slots = calloc(cap, sizeof(*slots));

    if (!slots)
        BUG("i18n: out of memory");
    for (size_t i = 0; i < c->cap; i++) {
        if (c->slots[i].msgid)
            slots_put(slots, cap, c->slots[i]);
    }
    free(c->slots);
    c->slots = slots;
    c->cap = cap;
}

/* Add a translation, taking ownership of both strings.  A duplicate keeps the first. */
static void catalog_add(struct catalog *c, char *msgid, char *msgstr)
{
    if (catalog_find(c, msgid)) {
        log_warn("i18n", "duplicate msgid ignored", "file", c->file, "msgid", msgid, NULL);
        free(msgid);
        free(msgstr);
        return;
    }
    if ((c->count + 1) * 2 > c->cap)
        catalog_grow(c);
    slots_put(c->slots, c->cap,
              (struct i18n_slot){.msgid = msgid, .msgstr = msgstr, .hash = hash_text(msgid)});
    c->count++;
}

static void catalog_clear(struct catalog *c)
{
    for (size_t i = 0; i < c->cap; i++) {
        free(c->slots[i].msgid);
        free(c->slots[i].msgstr);
    }
    free(c->slots);
    c->slots = NULL;
    c->cap = 0;
    c->count = 0;
}

/* ---- .po parser ---------------------------------------------------------- */

/* Which string a "..." continuation line extends. */
enum po_field { PO_NONE, PO_CTXT, PO_ID, PO_PLURAL, PO_STR, PO_STR_N };

struct po_parser {
    struct catalog *c;
    struct buf msgid, msgstr;
    enum po_field field;
    bool has_id, has_str; /* keywords seen for the current entry */
    bool is_fuzzy, has_ctxt, has_plural;
};

/* Store the entry read so far, if complete, and start a new one. */
static void po_flush(struct po_parser *p)
{
    if (p->has_id && p->has_str && !p->is_fuzzy && !p->has_ctxt && !p->has_plural &&
        p->msgid.len > 0 && p->msgstr.len > 0) {
        catalog_add(p->c, buf_detach(&p->msgid, NULL), buf_detach(&p->msgstr, NULL));
    }
    buf_reset(&p->msgid);
    buf_reset(&p->msgstr);
    p->field = PO_NONE;
    p->has_id = p->has_str = false;
    p->is_fuzzy = p->has_ctxt = p->has_plural = false;
}

/*
 * Parse the quoted C string at s (up to end) into out (NULL to discard).
 * Only spaces may follow the closing quote.  False on a syntax error.
 */
static bool po_string(const char *s, const char *end, struct buf *out)
{
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    if (s == end || *s != '"')
        return false;
    for (s++; s < end && *s != '"'; s++) {
        char c = *s;

        if (c == '\0')
            return false;
        if (c == '\\') {
            if (++s == end)
                return false;
            switch (*s) {
            case 'n':
                c = '\n';
                break;
            case 't':
                c = '\t';
                break;
            case 'r':
                c = '\r';
                break;
            case '"':
            case '\\':
                c = *s;
                break;
            default:
                return false;
            }
        }
        if (out)
            buf_addch(out, c);
    }
    if (s == end)
        return false;
    for (s++; s < end; s++) {
        if (*s != ' ' && *s != '\t' && *s != '\r')
            return false;
    }
    return true;
}

/* True when the line [s, end) starts with keyword followed by a space or a quote. */
static bool po_keyword(const char *s, const char *end, const char *keyword, const char **rest)
{
    size_t len = strlen(keyword);

    if ((size_t)(end - s) <= len || memcmp(s, keyword, len) != 0)
        return false;
    if (s[len] != ' ' && s[len] != '\t' && s[len] != '"')
        return false;
    *rest = s + len;
    return true;
}

/* Parse one line; false on a syntax error. */
static bool po_line(struct po_parser *p, const char *s, const char *end)
{
    const char *rest;

    while (s < end && (*s == ' ' || *s == '\t' || *s == '\r'))
        s++;
    if (s == end)
        return true;
    if (*s == '#') {
        if (p->has_str)
            po_flush(p);
        if (end - s >= 2 && s[1] == ',') {
            for (const char *f = s; f + 5 <= end; f++) {
                if (!memcmp(f, "fuzzy", 5))
                    p->is_fuzzy = true;
            }
        }
        return true;
    }
    if (*s == '"') {
        switch (p->field) {
        case PO_ID:
            return po_string(s, end, &p->msgid);
        case PO_STR:
            return po_string(s, end, &p->msgstr);
        case PO_CTXT:
        case PO_PLURAL:
        case PO_STR_N:
            return po_string(s, end, NULL);
        case PO_NONE:
            return false;
        }
        return false;
    }
    if (po_keyword(s, end, "msgctxt", &rest)) {
        if (p->has_str)
            po_flush(p);
        p->has_ctxt = true;
        p->field = PO_CTXT;
        return po_string(rest, end, NULL);
    }
    if (po_keyword(s, end, "msgid", &rest)) {
        if (p->has_str)
            po_flush(p);
        if (p->has_id)
            return false;
        p->has_id = true;
        p->field = PO_ID;
        return po_string(rest, end, &p->msgid);
    }
    if (po_keyword(s, end, "msgid_plural", &rest)) {
        p->has_plural = true;
        p->field = PO_PLURAL;
        return p->has_id && po_string(rest, end, NULL);
    }
    if (po_keyword(s, end, "msgstr", &rest)) {
        if (!p->has_id || p->has_str)
            return false;
        p->has_str = true;
        p->field = PO_STR;
        return po_string(rest, end, &p->msgstr);
    }
    if (end - s > 7 && !memcmp(s, "msgstr[", 7)) {
        const char *close = memchr(s, ']', (size_t)(end - s));

        if (!p->has_id || !close)
            return false;
        p->has_str = true;
        p->has_plural = true;
        p->field = PO_STR_N;
        return po_string(close + 1, end, NULL);
    }
    return false;
}

/* Parse the n bytes of a .po file into c.  ERR_INVALID with a log line on a syntax error. */
static int catalog_parse(struct catalog *c, const char *data, size_t n)
{
    struct po_parser p = {.c = c, .field = PO_NONE};
    const char *s = data, *end = data + n;
    int line_no = 0, rc = 0;

    buf_init(&p.msgid);
    buf_init(&p.msgstr);
    while (s < end) {
        const char *eol = memchr(s, '\n', (size_t)(end - s));

        if (!eol)
            eol = end;
        line_no++;
        if (!po_line(&p, s, eol)) {
            char line[16];

            snprintf(line, sizeof(line), "%d", line_no);
            log_error("i18n", "syntax error in catalog", "file", c->file, "line", line, NULL);
            rc = ERR_INVALID;
            break;
        }
        s = eol + 1;
    }
    if (rc == 0)
        po_flush(&p);
    buf_release(&p.msgid);
    buf_release(&p.msgstr);
    return rc;
}

/* ---- public API ------------------------------------------------------------ */

int i18n_init(void)
{
    i18n_release();
    for (size_t i = 0; i < ARRAY_SIZE(catalogs); i++) {
        const struct builtin_file *f = builtin_find(catalogs[i].file);
        int rc;

        if (!f) {
            log_error("i18n", "catalog missing from the binary", "file", catalogs[i].file, NULL);
            i18n_release();
            return ERR_NOTFOUND;
        }
        rc = catalog_parse(&catalogs[i], (const char *)f->data, f->len);
        if (rc < 0) {
            i18n_release();
            return rc;
        }
    }
    return 0;
}

void i18n_release(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(catalogs); i++)
        catalog_clear(&catalogs[i]);
}

const char *i18n_text(const char *lang, const char *msgid)
{
    if (!lang || !msgid || !strcmp(lang, "fr"))
        return msgid;
    for (size_t i = 0; i < ARRAY_SIZE(catalogs); i++) {
        if (!strcmp(lang, catalogs[i].lang)) {
            const struct i18n_slot *e = catalog_find(&catalogs[i], msgid);

            return e ? e->msgstr : msgid;
        }
    }
    return msgid;
}

bool i18n_is_supported(const char *lang)
{
    return lang && (!strcmp(lang, "fr") || !strcmp(lang, "en"));
}

/* ---- Accept-Language ---------------------------------------------------------- */

static bool is_lws(char c)
{
    return c == ' ' || c == '\t';
}

/* A qvalue ("1", "0.8", "0.125") in thousandths; -1 when malformed. */
static int parse_qvalue(const char *s, const char *end)
{
    int q, digits = 0;

    if (s == end || (*s != '0' && *s != '1'))
        return -1;
    q = (*s++ - '0') * 1000;
    if (s < end && *s == '.') {
        int scale = 100;

        for (s++; s < end && *s >= '0' && *s <= '9' && digits < 3; s++, digits++) {
            q += (*s - '0') * scale;
            scale /= 10;
        }
    }
    if (s != end || q > 1000)
        return -1;
    return q;
}

/* The supported language whose primary subtag is tag[0..n), or NULL. */
static const char *match_language(const char *tag, size_t n)
{
    static const char *const supported[] = {"fr", "en"};
    size_t primary = 0;

    while (primary < n && tag[primary] != '-')
        primary++;
    for (size_t i = 0; i < ARRAY_SIZE(supported); i++) {
        if (primary == 2 && (tag[0] | 0x20) == supported[i][0] &&
            (tag[1] | 0x20) == supported[i][1])
            return supported[i];
    }
    return NULL;
}

/*
 * One item of an Accept-Language list, n bytes at s ("en-US;q=0.8"): keep it
 * in *best when its language is supported and its quality beats *best_q.
 */
static void consider_item(const char *s, size_t n, const char **best, int *best_q)
{
    size_t i = 0, tag_start, tag_len;
    const char *lang;
    int q = 1000;

    while (i < n && is_lws(s[i]))
        i++;
    tag_start = i;
    while (i < n && s[i] != ';' && !is_lws(s[i]))
        i++;
    tag_len = i - tag_start;
    /* Parameters: only q matters; a malformed q drops the item. */
    while (i < n) {
        size_t start, end;

        while (i < n && s[i] != ';')
            i++;
        if (i == n)
            break;
        start = ++i;
        while (start < n && is_lws(s[start]))
            start++;
        end = start;
        while (end < n && s[end] != ';')
            end++;
        i = end;
        while (end > start && is_lws(s[end - 1]))
            end--;
        if (end - start >= 2 && (s[start] | 0x20) == 'q' && s[start + 1] == '=')
            q = parse_qvalue(s + start + 2, s + end);
    }
    lang = match_language(s + tag_start, tag_len);
    if (lang && q > *best_q) {
        *best = lang;
        *best_q = q;
    }
}

const char *i18n_negotiate(const char *accept_language)
{
    const char *best = NULL, *s = accept_language;
    int best_q = 0; /* in thousandths; q=0 means "not acceptable" */

    if (!s)
        return "fr";
    while (*s) {
        size_t n = strcspn(s, ",");

        consider_item(s, n, &best, &best_q);
        s += n;
        if (*s == ',')
            s++;
    }
    return best ? best : "fr";
}

static const char *const when_months[] = {
    N_("janvier"), N_("février"), N_("mars"),      N_("avril"),   N_("mai"),      N_("juin"),
    N_("juillet"), N_("août"),    N_("septembre"), N_("octobre"), N_("novembre"), N_("décembre"),
};

const char *i18n_when(const char *lang, struct arena *a, int64_t ms, int64_t now_ms)
{
    int64_t ago = now_ms - ms;
    time_t t = (time_t)(ms / 1000), now = (time_t)(now_ms / 1000);
    struct tm tm, now_tm;

    if (ago < 60 * 1000)
        return i18n_text(lang, N_("à l'instant"));
    if (ago < 3600 * 1000)
        return arena_printf(a, i18n_text(lang, N_("il y a %d min")), (int)(ago / 60000));
    if (ago < 24 * 3600 * 1000)
        return arena_printf(a, i18n_text(lang, N_("il y a %d h")), (int)(ago / 3600000));
    gmtime_r(&t, &tm);
    gmtime_r(&now, &now_tm);
    if (tm.tm_year == now_tm.tm_year)
        return arena_printf(a, i18n_text(lang, N_("%d %s à %02d:%02d")), tm.tm_mday,
                            i18n_text(lang, when_months[tm.tm_mon]), tm.tm_hour, tm.tm_min);
    return arena_printf(a, "%d %s %d", tm.tm_mday, i18n_text(lang, when_months[tm.tm_mon]),
                        tm.tm_year + 1900);
}
