/*
 * markdown.c - Markdown rendering with cmark-gfm, the only file that
 * includes cmark headers (codecheck enforces it).
 *
 * Safety comes from cmark-gfm's safe mode: CMARK_OPT_UNSAFE is never
 * passed, so raw HTML blocks and inline tags are replaced by
 * "<!-- raw HTML omitted -->" and dangerous URL schemes are emptied.  The
 * tagfilter extension is on as a second line (it only matters if unsafe
 * mode were ever enabled).
 *
 * State: cmark-gfm keeps a process-wide registry of syntax extensions;
 * it is filled once, under pthread_once, because registration is not
 * thread-safe.  The rendered text is copied into the caller's arena and
 * cmark's own buffer released at once.
 */
#include "markdown.h"
#include "../core/arena.h"

#include <ctype.h>
#include <pthread.h>
#include <strings.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#define MARKDOWN_OPTIONS (CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_HARDBREAKS)

static const char *const markdown_extensions[] = {"autolink", "strikethrough", "tagfilter"};

static pthread_once_t markdown_once = PTHREAD_ONCE_INIT;

static void markdown_register(void)
{
    cmark_gfm_core_extensions_ensure_registered();
}

/* True when the byte before s (in a run starting at start) lets a word begin at s. */
static bool starts_word(const char *start, const char *s)
{
    unsigned char c;

    if (s == start)
        return true;
    c = (unsigned char)s[-1];
    return !(isalnum(c) || c == '_' || c == '@' || c == '#' || c == '/' || c >= 0x80);
}

static bool inside_link_or_code(cmark_node *node)
{
    for (cmark_node *p = cmark_node_parent(node); p; p = cmark_node_parent(p)) {
        cmark_node_type t = cmark_node_get_type(p);
        if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)
            return true;
    }
    return false;
}

static cmark_node *text_node(cmark_mem *mem, const char *s, size_t len, struct arena *a)
{
    cmark_node *t = cmark_node_new_with_mem(CMARK_NODE_TEXT, mem);

    cmark_node_set_literal(t, arena_strndup(a, s, len));
    return t;
}

/* Split the text node at each span l links: text before it, a link, and so on. */
static void link_words(cmark_node *node, const struct markdown_linker *l, struct arena *a,
                       cmark_mem *mem)
{
    const char *lit = cmark_node_get_literal(node);
    char *text = arena_strdup(a, lit ? lit : "");
    size_t len = strlen(text), done = 0;

    for (size_t i = 0; i < len; i++) {
        const char *href = NULL;
        size_t n;
        cmark_node *link;

        if ((text[i] != '@' && text[i] != '#') || !starts_word(text, text + i))
            continue;
        n = l->link(l->ctx, text + i, len - i, &href);
        if (n == 0 || !href)
            continue;
        if (n > len - i)
            BUG("markdown linker took %zu bytes of %zu", n, len - i);
        if (i > done)
            cmark_node_insert_before(node, text_node(mem, text + done, i - done, a));
        link = cmark_node_new_with_mem(CMARK_NODE_LINK, mem);
        cmark_node_set_url(link, href);
        cmark_node_append_child(link, text_node(mem, text + i, n, a));
        cmark_node_insert_before(node, link);
        done = i + n;
        i = done - 1;
    }
    if (done > 0)
        cmark_node_set_literal(node, text + done);
}

static bool is_web_url(const char *url)
{
    return url && (strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0);
}

/* Apply the linker to every text node outside links, and find the first web link. */
static void walk(cmark_node *doc, const struct markdown_linker *l, struct arena *a, cmark_mem *mem,
                 const char **first_url)
{
    cmark_iter *it = cmark_iter_new(doc);
    cmark_node **texts = NULL;
    size_t len = 0, cap = 0;
    cmark_event_type ev;

    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(node);

        if (ev != CMARK_EVENT_ENTER)
            continue;
        if (t == CMARK_NODE_LINK && first_url && !**first_url &&
            is_web_url(cmark_node_get_url(node)))
            *first_url = arena_strdup(a, cmark_node_get_url(node));
        if (t != CMARK_NODE_TEXT || !l || inside_link_or_code(node))
            continue;
        if (len == cap) {
            cmark_node **grown = arena_alloc(a, (cap = cap ? cap * 2 : 16) * sizeof(*grown));
            if (len)
                memcpy(grown, texts, len * sizeof(*grown));
            texts = grown;
        }
        texts[len++] = node;
    }
    cmark_iter_free(it);
    /* Split after walking: the iterator must not see the tree change under it. */
    for (size_t i = 0; i < len; i++)
        link_words(texts[i], l, a, mem);
}

struct safe_html markdown_render_linked(struct arena *a, const char *text,
                                        const struct markdown_linker *l, const char **first_url)
{
    cmark_mem *mem = cmark_get_default_mem_allocator();
    cmark_parser *parser;
    cmark_node *doc;
    struct safe_html out = {.html = "", .len = 0};
    char *html;

    if (first_url)
        *first_url = "";
    if (!text || !*text)
        return out;
    pthread_once(&markdown_once, markdown_register);
    parser = cmark_parser_new_with_mem(MARKDOWN_OPTIONS, mem);
    for (size_t i = 0; i < ARRAY_SIZE(markdown_extensions); i++) {
        cmark_syntax_extension *ext = cmark_find_syntax_extension(markdown_extensions[i]);
        if (!ext)
            BUG("cmark-gfm extension \"%s\" is missing", markdown_extensions[i]);
        cmark_parser_attach_syntax_extension(parser, ext);
    }
    cmark_parser_feed(parser, text, strlen(text));
    doc = cmark_parser_finish(parser);
    if (l || first_url)
        walk(doc, l, a, mem, first_url);
    html = cmark_render_html_with_mem(doc, MARKDOWN_OPTIONS,
                                      cmark_parser_get_syntax_extensions(parser), mem);
    out.len = strlen(html);
    out.html = arena_strndup(a, html, out.len);
    mem->free(html);
    cmark_node_free(doc);
    cmark_parser_free(parser);
    return out;
}

struct safe_html markdown_render(struct arena *a, const char *text)
{
    return markdown_render_linked(a, text, NULL, NULL);
}

void html_markdown(struct html *h, struct arena *a, const char *text)
{
    html_safe(h, markdown_render(a, text));
}

void html_markdown_linked(struct html *h, struct arena *a, const char *text,
                          const struct markdown_linker *l)
{
    html_safe(h, markdown_render_linked(a, text, l, NULL));
}
