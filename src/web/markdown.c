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

#include <pthread.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#define MARKDOWN_OPTIONS (CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_HARDBREAKS)

static const char *const markdown_extensions[] = {"autolink", "strikethrough", "tagfilter"};

static pthread_once_t markdown_once = PTHREAD_ONCE_INIT;

static void markdown_register(void)
{
    cmark_gfm_core_extensions_ensure_registered();
}

struct safe_html markdown_render(struct arena *a, const char *text)
{
    cmark_mem *mem = cmark_get_default_mem_allocator();
    cmark_parser *parser;
    cmark_node *doc;
    struct safe_html out = {.html = "", .len = 0};
    char *html;

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
    html = cmark_render_html_with_mem(doc, MARKDOWN_OPTIONS,
                                      cmark_parser_get_syntax_extensions(parser), mem);
    out.len = strlen(html);
    out.html = arena_strndup(a, html, out.len);
    mem->free(html);
    cmark_node_free(doc);
    cmark_parser_free(parser);
    return out;
}

void html_markdown(struct html *h, struct arena *a, const char *text)
{
    html_safe(h, markdown_render(a, text));
}
