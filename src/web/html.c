/*
 * html.c - the HTML writer: escaping by default, URLs by construction.
 *
 * html_fmt_() parses its own format (never vsnprintf on a format that could
 * hold user text) and follows the HTML tokenizer as it writes: text, tag
 * name, attribute name, after '=', quoted or unquoted value, and the raw
 * text of <script> and <style>.  Only the literal parts of formats move that
 * state, because escaped values hold none of < > " '.  A %s written where
 * HTML escaping does not make it safe is a BUG(), so a misuse aborts the
 * first time a test renders the page.
 *
 * URL attributes are written only by html_url_attr_() (each %s is
 * percent-encoded, the format starts with '/') and html_href_ext() (scheme
 * allowlist).  Nothing here allocates except through the output buffer,
 * and the file owns no long-lived state.
 */
#include "web/html.h"

#include "core/arena.h"
#include "core/buf.h"

/* What a conversion in a format asks for. */
enum conv {
    CONV_STR,     /* %s */
    CONV_PERCENT, /* %% */
    CONV_INT,     /* %d */
    CONV_UINT,    /* %u */
    CONV_LONG,    /* %ld */
    CONV_ULONG,   /* %lu */
    CONV_LLONG,   /* %lld */
    CONV_ULLONG,  /* %llu */
    CONV_SIZE,    /* %zu */
};

static const char hex_digits[] = "0123456789ABCDEF";

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static char lower_ascii(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* ---- tokenizer state ------------------------------------------------- */

/* Append c, lower-cased, to the NUL-terminated name in dst, dropping what does not fit. */
static void name_add(char *dst, size_t cap, char c)
{
    size_t len = 0;

    while (len < cap && dst[len]) /* a few bytes: cheaper inline than a strlen() call per byte */
        len++;
    if (len + 1 < cap) {
        dst[len] = lower_ascii(c);
        dst[len + 1] = '\0';
    }
}

/* The '>' of a tag: raw text follows <script> and <style>, text anything else. */
static void tag_close(struct html *h)
{
    if (h->tag[0] == 's' && (!strcmp(h->tag, "script") || !strcmp(h->tag, "style"))) {
        h->state = HS_RAWTEXT;
        h->in_script = true;
        h->raw_match = 0;
    } else {
        h->state = HS_TEXT;
    }
    h->attr[0] = '\0';
}

/* Inside <script> or <style>: look for "</script" or "</style", in any case. */
static void scan_rawtext(struct html *h, char c)
{
    size_t tag_len = strlen(h->tag);
    char want = h->raw_match < 2 ? "</"[h->raw_match] : h->tag[h->raw_match - 2];

    if (lower_ascii(c) != want) {
        h->raw_match = c == '<' ? 1 : 0;
        return;
    }
    h->raw_match++;
    if (h->raw_match < 2 + tag_len)
        return;
    /* "</script" seen: now in the end tag's name, which '>' or a space ends. */
    memmove(h->tag + 1, h->tag, tag_len + 1);
    h->tag[0] = '/';
    h->in_script = false;
    h->raw_match = 0;
    h->state = HS_TAG_NAME;
}

/* Move the tokenizer state over one literal byte. */
static void scan_char(struct html *h, char c)
{
    switch (h->state) {
    case HS_TEXT:
        if (c == '<') {
            h->state = HS_TAG_NAME;
            h->tag[0] = '\0';
            h->attr[0] = '\0';
        }
        break;
    case HS_TAG_NAME:
        if (c == '>')
            tag_close(h);
        else if (is_space(c))
            h->state = HS_TAG;
        else if (c == '/' && h->tag[0] != '\0')
            h->state = HS_TAG;
        else
            name_add(h->tag, sizeof(h->tag), c);
        break;
    case HS_TAG:
        if (c == '>') {
            tag_close(h);
        } else if (c == '=') {
            h->state = HS_ATTR_EQ;
        } else if (!is_space(c) && c != '/') {
            h->state = HS_ATTR_NAME;
            h->attr[0] = '\0';
            name_add(h->attr, sizeof(h->attr), c);
        }
        break;
    case HS_ATTR_NAME:
        if (c == '>')
            tag_close(h);
        else if (c == '=')
            h->state = HS_ATTR_EQ;
        else if (is_space(c) || c == '/')
            h->state = HS_TAG;
        else
            name_add(h->attr, sizeof(h->attr), c);
        break;
    case HS_ATTR_EQ:
        if (c == '"')
            h->state = HS_ATTR_VALUE_DQ;
        else if (c == '\'')
            h->state = HS_ATTR_VALUE_SQ;
        else if (c == '>')
            tag_close(h);
        else if (!is_space(c))
            h->state = HS_ATTR_VALUE_UQ;
        break;
    case HS_ATTR_VALUE_DQ:
        if (c == '"')
            h->state = HS_TAG;
        break;
    case HS_ATTR_VALUE_SQ:
        if (c == '\'')
            h->state = HS_TAG;
        break;
    case HS_ATTR_VALUE_UQ:
        if (c == '>')
            tag_close(h);
        else if (is_space(c))
            h->state = HS_TAG;
        break;
    case HS_RAWTEXT:
        scan_rawtext(h, c);
        break;
    }
}

/*
 * In a tag or attribute name: append the bytes of s (at most n) that continue the name to dst
 * at once, as scan_char() would one by one; returns how many there were.
 */
static size_t name_run(char *dst, size_t cap, const char *s, size_t n, bool is_attr)
{
    size_t len = 0, run = 0;

    while (len < cap && dst[len])
        len++;
    for (; run < n; run++) {
        char c = s[run];
        if (c == '>' || c == '/' || is_space(c) || (is_attr && c == '='))
            break;
        if (len + 1 < cap)
            dst[len++] = lower_ascii(c);
    }
    dst[len] = '\0';
    return run;
}

/*
 * Move the tokenizer over n literal bytes.  What scan_char() does byte by byte, but faster
 * where it can: in text and in quoted values only one byte can change the state ('<', or the
 * closing quote), so memchr() skips to it; a tag or attribute name is taken as one run.
 * Every other byte goes through scan_char().
 */
static void scan(struct html *h, const char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        size_t run = 0;
        char stop = h->state == HS_TEXT            ? '<'
                    : h->state == HS_ATTR_VALUE_DQ ? '"'
                    : h->state == HS_ATTR_VALUE_SQ ? '\''
                                                   : '\0';

        if (stop) {
            const char *hit = memchr(s + i, stop, n - i);
            if (!hit)
                return;
            i = (size_t)(hit - s);
        } else if (h->state == HS_TAG_NAME && !(s[i] == '/' && h->tag[0] == '\0')) {
            run = name_run(h->tag, sizeof(h->tag), s + i, n - i, false); /* not an end tag's '/' */
        } else if (h->state == HS_ATTR_NAME) {
            run = name_run(h->attr, sizeof(h->attr), s + i, n - i, true);
        }
        if (run) {
            i += run;
            continue;
        }
        scan_char(h, s[i++]);
    }
}

/* Write literal bytes and follow them with the tokenizer. */
static void put_literal(struct html *h, const char *s, size_t n)
{
    scan(h, s, n);
    buf_add(h->out, s, n);
}

/*
 * True for attributes whose value is a URL, CSS or script: HTML escaping
 * does not make a value safe there.
 */
static bool attr_is_dangerous(const char *attr)
{
    static const char *const names[] = {
        "href", "src",        "action", "formaction", "style",    "srcset",   "poster",     "cite",
        "data", "background", "ping",   "xlink:href", "codebase", "manifest", "imagesrcset"};

    if (attr[0] == 'o' && attr[1] == 'n')
        return true;
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcmp(attr, names[i]))
            return true;
    }
    return false;
}

/* BUG() unless an escaped string may be written in the current state. */
static void check_escaped_ok(const struct html *h, const char *what)
{
    switch (h->state) {
    case HS_TEXT:
        return;
    case HS_ATTR_VALUE_DQ:
    case HS_ATTR_VALUE_SQ:
        if (attr_is_dangerous(h->attr))
            BUG("html: %s in attribute \"%s\", use html_href() or a literal", what, h->attr);
        return;
    case HS_ATTR_EQ:
    case HS_ATTR_VALUE_UQ:
        BUG("html: %s in unquoted value of attribute \"%s\"", what, h->attr);
    case HS_TAG_NAME:
    case HS_TAG:
    case HS_ATTR_NAME:
        BUG("html: %s in tag or attribute name position (<%s)", what, h->tag);
    case HS_RAWTEXT:
        BUG("html: %s inside <%s>", what, h->tag);
    }
    BUG("html: bad state %d", (int)h->state);
}

/* BUG() unless the writer stands between attributes, where ' name="…"' may go. */
static void check_attr_ok(const struct html *h, const char *attr)
{
    if (h->state != HS_TAG && h->state != HS_TAG_NAME)
        BUG("html: %s attribute written outside a tag (state %d)", attr, (int)h->state);
    if (h->state == HS_TAG_NAME && (h->tag[0] == '\0' || h->tag[0] == '/'))
        BUG("html: %s attribute written in a tag with no name", attr);
}

/* ---- formats ------------------------------------------------------------ */

/*
 * Parse the conversion after the '%' at *p and advance *p past it.  Anything
 * outside the supported set is a BUG: the format is a literal, so this is a
 * programming error.
 */
static enum conv parse_conv(const char **p, const char *fmt)
{
    static const struct {
        const char *spec;
        enum conv kind;
    } convs[] = {{"s", CONV_STR},     {"%", CONV_PERCENT},  {"d", CONV_INT},
                 {"u", CONV_UINT},    {"ld", CONV_LONG},    {"lu", CONV_ULONG},
                 {"lld", CONV_LLONG}, {"llu", CONV_ULLONG}, {"zu", CONV_SIZE}};

    for (size_t i = 0; i < ARRAY_SIZE(convs); i++) {
        size_t len = strlen(convs[i].spec);

        if (!strncmp(*p, convs[i].spec, len)) {
            *p += len;
            return convs[i].kind;
        }
    }
    BUG("html: unsupported conversion in format \"%s\"", fmt);
}

/* Format a numeric conversion into out (at least 24 bytes); returns its length. */
static size_t format_number(enum conv kind, va_list *ap, char *out, size_t size)
{
    int n = 0;

    switch (kind) {
    case CONV_INT:
        n = snprintf(out, size, "%d", va_arg(*ap, int));
        break;
    case CONV_UINT:
        n = snprintf(out, size, "%u", va_arg(*ap, unsigned));
        break;
    case CONV_LONG:
        n = snprintf(out, size, "%ld", va_arg(*ap, long));
        break;
    case CONV_ULONG:
        n = snprintf(out, size, "%lu", va_arg(*ap, unsigned long));
        break;
    case CONV_LLONG:
        n = snprintf(out, size, "%lld", va_arg(*ap, long long));
        break;
    case CONV_ULLONG:
        n = snprintf(out, size, "%llu", va_arg(*ap, unsigned long long));
        break;
    case CONV_SIZE:
        n = snprintf(out, size, "%zu", va_arg(*ap, size_t));
        break;
    case CONV_STR:
    case CONV_PERCENT:
        BUG("html: format_number on a non-number");
    }
    if (n < 0 || (size_t)n >= size)
        BUG("html: number does not fit");
    return (size_t)n;
}

void html_init(struct html *h, struct buf *out)
{
    memset(h, 0, sizeof(*h));
    h->out = out;
    h->state = HS_TEXT;
}

void html_fmt_(struct html *h, const char *fmt, ...)
{
    va_list ap;
    const char *p = fmt;

    va_start(ap, fmt);
    while (*p) {
        const char *start = p;
        enum conv kind;

        while (*p && *p != '%')
            p++;
        if (p > start)
            put_literal(h, start, (size_t)(p - start));
        if (!*p)
            break;
        p++;
        kind = parse_conv(&p, fmt);
        if (kind == CONV_STR) {
            const char *s = va_arg(ap, const char *);

            check_escaped_ok(h, "%s");
            if (s)
                html_escape(h->out, s, strlen(s));
        } else if (kind == CONV_PERCENT) {
            put_literal(h, "%", 1);
        } else {
            char num[32];
            size_t n = format_number(kind, &ap, num, sizeof(num));

            /* Digits are harmless anywhere; scanning them keeps "<h%d>" a tag name. */
            put_literal(h, num, n);
        }
    }
    va_end(ap);
}

void html_lit_(struct html *h, const char *s, size_t n)
{
    put_literal(h, s, n);
}

void html_text(struct html *h, const char *s)
{
    check_escaped_ok(h, "text");
    if (s)
        html_escape(h->out, s, strlen(s));
}

void html_textn(struct html *h, const char *s, size_t n)
{
    check_escaped_ok(h, "text");
    if (s)
        html_escape(h->out, s, n);
}

/* ---- URLs ---------------------------------------------------------------- */

void html_url_attr_va_(struct html *h, const char *attr, const char *fmt, va_list ap)
{
    va_list args;
    const char *p = fmt;

    check_attr_ok(h, attr);
    for (const char *a = attr; *a; a++) {
        if (!((*a >= 'a' && *a <= 'z') || *a == '-'))
            BUG("html: bad URL attribute name \"%s\"", attr);
    }
    /* "//host" and "/\host" would leave the site. */
    if (fmt[0] != '/' || fmt[1] == '/' || fmt[1] == '\\')
        BUG("html: URL format \"%s\" must begin with a single '/'", fmt);

    buf_addch(h->out, ' ');
    buf_addstr(h->out, attr);
    buf_add(h->out, "=\"", 2);
    va_copy(args, ap);
    while (*p) {
        const char *start = p;
        enum conv kind;

        while (*p && *p != '%')
            p++;
        if (p > start)
            html_escape(h->out, start, (size_t)(p - start));
        if (!*p)
            break;
        p++;
        kind = parse_conv(&p, fmt);
        if (kind == CONV_STR) {
            const char *s = va_arg(args, const char *);

            /* Percent-encoded output holds only [A-Za-z0-9-._~%]: nothing to escape. */
            if (s)
                url_encode(h->out, s, strlen(s));
        } else if (kind == CONV_PERCENT) {
            buf_addch(h->out, '%');
        } else {
            char num[32];
            size_t n = format_number(kind, &args, num, sizeof(num));

            buf_add(h->out, num, n);
        }
    }
    va_end(args);
    buf_addch(h->out, '"');
    h->state = HS_TAG;
    h->attr[0] = '\0';
}

void html_url_attr_(struct html *h, const char *attr, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    html_url_attr_va_(h, attr, fmt, ap);
    va_end(ap);
}

/* True when url (n bytes) starts with scheme, ASCII case-insensitively. */
static bool has_scheme(const char *url, size_t n, const char *scheme)
{
    size_t len = strlen(scheme);

    if (n < len)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (lower_ascii(url[i]) != scheme[i])
            return false;
    }
    return true;
}

void html_href_ext(struct html *h, const char *url)
{
    const unsigned char *start, *end;

    check_attr_ok(h, "href");
    if (!url)
        return;
    /* Browsers strip leading and trailing C0 controls and spaces: so do we. */
    start = (const unsigned char *)url;
    end = start + strlen(url);
    while (start < end && *start <= 0x20)
        start++;
    while (end > start && end[-1] <= 0x20)
        end--;
    if (start == end)
        return;
    /* A control byte inside ("java\tscript:") is never a link we want. */
    for (const unsigned char *c = start; c < end; c++) {
        if (*c < 0x20 || *c == 0x7f)
            return;
    }
    if (!has_scheme((const char *)start, (size_t)(end - start), "http:") &&
        !has_scheme((const char *)start, (size_t)(end - start), "https:") &&
        !has_scheme((const char *)start, (size_t)(end - start), "mailto:"))
        return;
    buf_addstr(h->out, " href=\"");
    html_escape(h->out, (const char *)start, (size_t)(end - start));
    buf_addstr(h->out, "\" rel=\"nofollow noopener\"");
    h->state = HS_TAG;
    h->attr[0] = '\0';
}

/* ---- raw output ------------------------------------------------------------ */

void html_safe(struct html *h, struct safe_html s)
{
    if (h->state != HS_TEXT)
        BUG("html: safe HTML written inside a tag or <%s> (state %d)", h->tag, (int)h->state);
    if (s.len)
        buf_add(h->out, s.html, s.len);
}

struct safe_html html_capture(struct arena *a, void (*fn)(struct html *h, void *ctx), void *ctx)
{
    struct buf b;
    struct html nested;

    buf_init_arena(&b, a);
    html_init(&nested, &b);
    fn(&nested, ctx);
    if (nested.state != HS_TEXT)
        BUG("html: captured fragment ends inside a tag or <%s> (state %d)", nested.tag,
            (int)nested.state);
    return (struct safe_html){.html = b.s, .len = b.len};
}

/* ---- escapers ---------------------------------------------------------------- */

void html_escape(struct buf *b, const char *s, size_t n)
{
    size_t run = 0; /* start of the bytes not yet written */

    for (size_t i = 0; i < n; i++) {
        const char *rep;

        switch (s[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        case '\0':
            rep = "\xEF\xBF\xBD"; /* U+FFFD REPLACEMENT CHARACTER */
            break;
        default:
            continue;
        }
        if (i > run)
            buf_add(b, s + run, i - run);
        buf_addstr(b, rep);
        run = i + 1;
    }
    if (n > run)
        buf_add(b, s + run, n - run);
}

void url_encode(struct buf *b, const char *s, size_t n)
{
    size_t run = 0;

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[3];

        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~')
            continue;
        if (i > run)
            buf_add(b, s + run, i - run);
        esc[0] = '%';
        esc[1] = hex_digits[c >> 4];
        esc[2] = hex_digits[c & 15];
        buf_add(b, esc, 3);
        run = i + 1;
    }
    if (n > run)
        buf_add(b, s + run, n - run);
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool url_decode(char *s, size_t *len, bool plus_is_space)
{
    size_t n = *len, out = 0;

    /* Validate first, so a malformed input is left as it was. */
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%')
            continue;
        if (i + 2 >= n)
            return false;
        if (hex_value(s[i + 1]) < 0 || hex_value(s[i + 2]) < 0)
            return false;
        i += 2;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            s[out++] = (char)(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else if (s[i] == '+' && plus_is_space) {
            s[out++] = ' ';
        } else {
            s[out++] = s[i];
        }
    }
    if (out < n)
        s[out] = '\0';
    *len = out;
    return true;
}
