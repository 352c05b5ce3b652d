/*
 * feed_text.c - the words of a post that become links: @mentions and #tags.
 *
 * A mention is '@' followed by a member's display name ("@Hélène Martin",
 * up to four words, compared folded) or handle (the part of their e-mail
 * before the '@': "@helene.martin").  A tag is '#' followed by letters,
 * digits, '_' or '-' (with at least one letter).  Both are found by the
 * same walk of the Markdown tree (markdown_render_linked), so code spans,
 * links and URLs never produce one, and saving (feed_parse) and showing
 * (feed_render) always agree on what is linked.
 *
 * Saving resolves names against the active members; showing only links the
 * members recorded as mentioned when the post was saved.
 */
#include "feed.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../web/markdown.h"

#include <ctype.h>

#define MENTION_WORDS_MAX 4
#define MENTION_BYTES_MAX 200

static bool is_word_byte(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '-' || c == '\'' || c >= 0x80;
}

static bool is_tag_byte(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '-' || c >= 0x80;
}

/*
 * True when s starts with a non-ASCII space or punctuation mark French text
 * puts after a word: no-break spaces, « », ’ “ ”, dashes, "…".  Other
 * non-ASCII bytes are taken as letters.
 */
static bool is_unicode_stop(const char *s, size_t len)
{
    static const char *const stops[] = {
        "\u00a0", "\u202f", "\u2009", "\u00ab", "\u00bb", "\u2018", "\u2019",
        "\u201c", "\u201d", "\u2013", "\u2014", "\u2026", "\u00b7",
    };

    if ((unsigned char)s[0] < 0x80)
        return false;
    for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
        size_t n = strlen(stops[i]);
        if (n <= len && memcmp(s, stops[i], n) == 0)
            return true;
    }
    return false;
}

/*
 * The ends of the first n words after '@' at s: ends[k] is the length (from
 * s) of the text holding k + 1 words.  A '.' inside a word is part of it
 * (handles: "claire.martin"); words are separated by one space.  Returns
 * how many words were found.
 */
static size_t mention_words(const char *s, size_t len, size_t ends[MENTION_WORDS_MAX])
{
    size_t i = 1, n = 0;

    while (n < MENTION_WORDS_MAX && i < len && i < MENTION_BYTES_MAX) {
        size_t start = i;
        while (i < len && !is_unicode_stop(s + i, len - i) &&
               (is_word_byte((unsigned char)s[i]) ||
                (s[i] == '.' && i + 1 < len && isalnum((unsigned char)s[i + 1]))))
            i++;
        if (i == start)
            break;
        ends[n++] = i;
        if (i + 1 >= len || s[i] != ' ' || !is_word_byte((unsigned char)s[i + 1]))
            break;
        i++;
    }
    return n;
}

const char *feed_tag_fold(struct arena *a, const char *tag)
{
    size_t len = strlen(tag);
    bool has_letter = false;

    if (len == 0 || !str_is_utf8(tag, len) || str_utf8_len(tag, len) > FEED_TAG_MAX)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)tag[i];
        if (!is_tag_byte(c))
            return NULL;
        if (isalpha(c) || c >= 0x80)
            has_letter = true;
    }
    return has_letter ? str_fold(a, tag) : NULL;
}

/* The length of the tag after '#' at s (0: not a tag), without a trailing '-'. */
static size_t tag_length(const char *s, size_t len)
{
    size_t i = 1;

    while (i < len && is_tag_byte((unsigned char)s[i]) && !is_unicode_stop(s + i, len - i))
        i++;
    while (i > 1 && s[i - 1] == '-')
        i--;
    return i > 1 ? i : 0;
}

/* ---- saving: resolve mentions, collect tags -------------------------------------- */

struct parse_ctx {
    struct db *db;
    struct arena *a;
    struct feed_parsed *out;
    size_t mentions_cap, tags_cap;
    int rc;
};

/* The active member named name_folded, or handle@...; 0 when none or ambiguous. */
static int64_t resolve_member(struct parse_ctx *c, const char *words, bool one_word,
                              const char **name)
{
    const char *folded = str_fold(c->a, words);
    int64_t id = 0;
    int found = 0;
    struct stmt *q = db_query(c->db,
                              "SELECT id, name FROM account WHERE name_folded = ?"
                              " AND status = 'active' ORDER BY id LIMIT 2",
                              DB_TEXT(folded));

    while (db_row(q)) {
        id = db_i64(q, 0);
        *name = arena_strdup(c->a, db_text(q, 1));
        found++;
    }
    if ((c->rc = db_end(q)) < 0 || found > 1)
        return 0;
    if (found == 1 || !one_word)
        return id;
    q = db_query(c->db,
                 "SELECT id, name FROM account WHERE email LIKE ? ESCAPE '\\'"
                 " AND status = 'active' ORDER BY id LIMIT 2 /*scan-ok: on saving a post*/",
                 DB_TEXT(arena_printf(c->a, "%s@%%", str_lower_ascii(c->a, words))));
    while (db_row(q)) {
        id = db_i64(q, 0);
        *name = arena_strdup(c->a, db_text(q, 1));
        found++;
    }
    if ((c->rc = db_end(q)) < 0 || found != 1)
        return 0;
    return id;
}

static void add_mention(struct parse_ctx *c, int64_t id, const char *name)
{
    struct feed_parsed *o = c->out;

    for (size_t i = 0; i < o->mentions_len; i++)
        if (o->mentions[i].id == id)
            return;
    if (o->mentions_len == FEED_MENTIONS_MAX)
        return;
    if (o->mentions_len == c->mentions_cap) {
        struct feed_mention *grown = arena_alloc(
            c->a, (c->mentions_cap = c->mentions_cap ? c->mentions_cap * 2 : 8) * sizeof(*grown));
        if (o->mentions_len)
            memcpy(grown, o->mentions, o->mentions_len * sizeof(*grown));
        o->mentions = grown;
    }
    o->mentions[o->mentions_len++] = (struct feed_mention){.id = id, .name = name};
}

static void add_tag(struct parse_ctx *c, const char *tag)
{
    struct feed_parsed *o = c->out;

    for (size_t i = 0; i < o->tags_len; i++)
        if (strcmp(o->tags[i], tag) == 0)
            return;
    if (o->tags_len == FEED_TAGS_MAX)
        return;
    if (o->tags_len == c->tags_cap) {
        const char **grown =
            arena_alloc(c->a, (c->tags_cap = c->tags_cap ? c->tags_cap * 2 : 8) * sizeof(*grown));
        if (o->tags_len)
            memcpy(grown, o->tags, o->tags_len * sizeof(*grown));
        o->tags = grown;
    }
    o->tags[o->tags_len++] = tag;
}

static size_t parse_link(void *ctx, const char *s, size_t len, const char **href)
{
    struct parse_ctx *c = ctx;

    if (c->rc < 0)
        return 0;
    if (s[0] == '#') {
        size_t n = tag_length(s, len);
        const char *tag = n ? feed_tag_fold(c->a, arena_strndup(c->a, s + 1, n - 1)) : NULL;
        if (!tag)
            return 0;
        add_tag(c, tag);
        *href = "/tags/";
        return n;
    }
    size_t ends[MENTION_WORDS_MAX];
    size_t words = mention_words(s, len, ends);
    for (size_t k = words; k > 0; k--) {
        const char *name = NULL;
        int64_t id = resolve_member(c, arena_strndup(c->a, s + 1, ends[k - 1] - 1), k == 1, &name);
        if (c->rc < 0)
            return 0;
        if (id > 0) {
            add_mention(c, id, name);
            *href = "/people/";
            return ends[k - 1];
        }
    }
    return 0;
}

int feed_parse(struct db *db, struct arena *a, const char *body, struct feed_parsed *out)
{
    struct parse_ctx c = {.db = db, .a = a, .out = out};
    struct markdown_linker l = {.link = parse_link, .ctx = &c};

    *out = (struct feed_parsed){.link_url = ""};
    markdown_render_linked(a, body, &l, &out->link_url);
    if (strlen(out->link_url) > FEED_URL_MAX)
        out->link_url = "";
    return c.rc;
}

/* ---- showing: link what was recorded ------------------------------------------------ */

struct render_ctx {
    struct arena *a;
    const struct feed_mention *mentions;
    size_t mentions_len;
    const char **folded; /* the mentioned names, folded */
};

static size_t render_link(void *ctx, const char *s, size_t len, const char **href)
{
    struct render_ctx *c = ctx;

    if (s[0] == '#') {
        size_t n = tag_length(s, len);
        const char *tag = n ? feed_tag_fold(c->a, arena_strndup(c->a, s + 1, n - 1)) : NULL;
        if (!tag)
            return 0;
        *href = arena_printf(c->a, "/tags/%s", tag);
        return n;
    }
    size_t ends[MENTION_WORDS_MAX];
    size_t words = mention_words(s, len, ends);
    for (size_t k = words; k > 0; k--) {
        const char *folded = str_fold(c->a, arena_strndup(c->a, s + 1, ends[k - 1] - 1));
        for (size_t i = 0; i < c->mentions_len; i++) {
            const char *handle = c->mentions[i].handle;
            if (strcmp(folded, c->folded[i]) == 0 ||
                (k == 1 && handle && *handle && strcmp(folded, str_fold(c->a, handle)) == 0)) {
                *href = arena_printf(c->a, "/people/%lld", (long long)c->mentions[i].id);
                return ends[k - 1];
            }
        }
    }
    return 0;
}

static struct render_ctx render_ctx(struct arena *a, const struct feed_mention *mentions,
                                    size_t mentions_len)
{
    struct render_ctx c = {.a = a, .mentions = mentions, .mentions_len = mentions_len};

    c.folded = arena_alloc(a, (mentions_len + 1) * sizeof(*c.folded));
    for (size_t i = 0; i < mentions_len; i++)
        c.folded[i] = str_fold(a, mentions[i].name);
    return c;
}

struct safe_html feed_render(struct arena *a, const char *body, const struct feed_mention *mentions,
                             size_t mentions_len)
{
    struct render_ctx c = render_ctx(a, mentions, mentions_len);
    struct markdown_linker l = {.link = render_link, .ctx = &c};

    return markdown_render_linked(a, body, &l, NULL);
}

void feed_html(struct html *h, struct arena *a, const char *body,
               const struct feed_mention *mentions, size_t mentions_len)
{
    struct render_ctx c = render_ctx(a, mentions, mentions_len);
    struct markdown_linker l = {.link = render_link, .ctx = &c};

    html_markdown_linked(h, a, body, &l);
}
