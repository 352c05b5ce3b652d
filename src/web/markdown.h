/*
 * markdown.h - Markdown to safe HTML (cmark-gfm in safe mode).
 *
 * markdown_render() is one of the two producers of struct safe_html: raw
 * HTML in the text becomes a comment, links and images whose URL is
 * javascript:, vbscript:, file: or data: (but data:image/png, gif, jpeg
 * and webp images) are emptied, and the GFM autolink, strikethrough and
 * tagfilter extensions are on.  Single newlines are hard breaks, as
 * members expect from a text box.
 */
#ifndef RUCHE_MARKDOWN_H
#define RUCHE_MARKDOWN_H

#include "html.h"

/*
 * Render the Markdown text (UTF-8; invalid sequences are replaced) as HTML.
 * Returns memory from a; an empty text gives an empty fragment.
 */
struct safe_html markdown_render(struct arena *a, const char *text);

/*
 * Turns words of the text into links: @mentions and #tags.  link() is
 * called at each '@' or '#' that starts a word of the text outside links,
 * images and code, with s at the sign and len the bytes left in that run
 * of text; it returns how many bytes (the sign included) become a link to
 * *href (a local path), or 0 to leave them as text.
 */
struct markdown_linker {
    size_t (*link)(void *ctx, const char *s, size_t len, const char **href);
    void *ctx;
};

/*
 * markdown_render() with words linked by l (NULL: none).  When first_url is
 * not NULL it receives the URL of the first http or https link of the text
 * (autolinks included), or "" (memory from a).
 */
struct safe_html markdown_render_linked(struct arena *a, const char *text,
                                        const struct markdown_linker *l, const char **first_url);

/* Write markdown_render(a, text) to h, between tags: what feature pages call. */
void html_markdown(struct html *h, struct arena *a, const char *text);
/* The same with words linked by l (markdown_render_linked). */
void html_markdown_linked(struct html *h, struct arena *a, const char *text,
                          const struct markdown_linker *l);

#endif
