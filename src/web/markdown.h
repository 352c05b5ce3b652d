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

/* Write markdown_render(a, text) to h, between tags: what feature pages call. */
void html_markdown(struct html *h, struct arena *a, const char *text);

#endif
