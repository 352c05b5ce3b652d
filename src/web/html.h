/*
 * html.h - HTML output that cannot forget to escape (cgit, snac, Fossil).
 *
 * Every format must be a string literal (the "" f "" trick), so no user
 * string can ever become a template.  In html_fmt() each %s is escaped for
 * HTML text and quoted attributes (& < > " ').  A %s where that escaping is
 * not enough - inside a URL attribute (href, src, action, formaction,
 * srcset...), style or on* attributes, an unquoted attribute, a tag or
 * attribute name, or <script>/<style> - is a BUG() the first time the page
 * renders, so tests catch it.  URLs go through html_href(), which
 * percent-encodes each %s as a path or query component.
 *
 * Supported conversions: %s (escaped; NULL writes nothing), %d, %u, %ld, %lu,
 * %lld, %llu, %zu and %%.  Anything else is a BUG().
 *
 * Raw output exists only as html_safe() taking a struct safe_html, which
 * only markdown_render() and html_capture() produce.
 */
#ifndef RUCHE_HTML_H
#define RUCHE_HTML_H

#include "../core/core.h"

struct buf;
struct arena;

/*
 * Tag-parsing state of what has been written, carried across calls.  Only
 * literal parts of formats move it: escaped values contain no < > " '.
 */
enum html_state {
    HS_TEXT,          /* between tags: %s allowed */
    HS_TAG_NAME,      /* just after '<': the tag name */
    HS_TAG,           /* inside a tag, between attributes */
    HS_ATTR_NAME,     /* in an attribute name */
    HS_ATTR_EQ,       /* after '=', before the value */
    HS_ATTR_VALUE_DQ, /* in a "double-quoted" value: %s allowed unless URL, style or on* */
    HS_ATTR_VALUE_SQ, /* in a 'single-quoted' value: same */
    HS_ATTR_VALUE_UQ, /* in an unquoted value */
    HS_RAWTEXT,       /* contents of <script> or <style> */
};

struct html {
    struct buf *out;
    enum html_state state;
    char attr[16];           /* current attribute name, lower-case, truncated */
    char tag[12];            /* current tag name, lower-case, truncated; "/p" for an end tag */
    bool in_script;          /* inside <script> or <style> */
    unsigned char raw_match; /* bytes of "</script" or "</style" seen in raw text */
};

/* Output already known to be safe HTML.  Build it only with the producers below. */
struct safe_html {
    const char *html;
    size_t len;
};

void html_init(struct html *h, struct buf *out);

#define html_fmt(h, fmt, ...) html_fmt_((h), "" fmt "", ##__VA_ARGS__)
void html_fmt_(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A literal written as is ('%' is not special); it moves the state as html_fmt() does. */
#define html_lit(h, s) html_lit_((h), "" s "", sizeof(s) - 1)
void html_lit_(struct html *h, const char *s, size_t n);
/* Escaped text, under the same context rules as %s in html_fmt(); NULL writes nothing. */
void html_text(struct html *h, const char *s);
/* Escaped text of n bytes (NUL bytes become U+FFFD). */
void html_textn(struct html *h, const char *s, size_t n);
/*
 * ' href="…"' inside a tag.  fmt begins with a single '/' (BUG otherwise); each %s is
 * percent-encoded as a component (so '/' becomes %2F; NULL writes nothing), numbers are
 * written as is, and the whole value is then attribute-escaped.
 */
#define html_href(h, fmt, ...) html_url_attr_((h), "href", "" fmt "", ##__VA_ARGS__)
#define html_src(h, fmt, ...) html_url_attr_((h), "src", "" fmt "", ##__VA_ARGS__)
#define html_action(h, fmt, ...) html_url_attr_((h), "action", "" fmt "", ##__VA_ARGS__)
void html_url_attr_(struct html *h, const char *attr, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same with a va_list, for wrappers that are themselves literal-only macros
 * (html_form_begin).  Never call it with a format that is not a literal. */
void html_url_attr_va_(struct html *h, const char *attr, const char *fmt, va_list ap);
/* ' href="…" rel="nofollow noopener"' for an external URL: only http:, https: and
 * mailto: (any case, surrounding spaces trimmed) are kept; otherwise nothing is written. */
void html_href_ext(struct html *h, const char *url);

/* The one raw path, allowed between tags only.  git grep html_safe lists every use. */
void html_safe(struct html *h, struct safe_html s);
/* Run fn(h2, ctx) on a nested writer and return its output as safe HTML from arena a.
 * The fragment must end between tags (BUG otherwise). */
struct safe_html html_capture(struct arena *a, void (*fn)(struct html *h, void *ctx), void *ctx);

/* Escape s into b for HTML text or quoted attributes; NUL bytes become U+FFFD. */
void html_escape(struct buf *b, const char *s, size_t n);
/* Percent-encode s into b as a URL path or query component (RFC 3986 unreserved kept). */
void url_encode(struct buf *b, const char *s, size_t n);
/* Decode %XX and (when plus_is_space) '+' in the *len bytes at s, in place, and update
 * *len.  A NUL is written after the result when it got shorter.  False on a malformed or
 * truncated escape ("%4", "%zz"), in which case s is left unchanged. */
bool url_decode(char *s, size_t *len, bool plus_is_space);

#endif
