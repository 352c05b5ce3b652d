/*
 * feed_atom.c - the feed as Atom 1.0 (RFC 4287): per tag, per person, and
 * each member's personal feed behind a secret address.
 *
 * Who reads what:
 *   /tags/{tag}.atom and /people/{id}.atom are members' pages like the ones
 *   they mirror (reached through page_tag() and people_page_show(), which
 *   require a session: a cookie or a bearer token).  They hold only what a
 *   plain member reads (FEED_VISIBLE_SQL for a member who is in no
 *   community), whoever asks, so a link shared between colleagues never
 *   shows more than that; guests, who may not read profile posts, get 404.
 *   An unknown tag (no post a member may read carries it) or a missing or
 *   deactivated member is 404 too.
 *
 *   /feeds/{id}-{mac}.atom is the member's home feed for feed readers,
 *   which have no session: the route takes no cookie at all and the key
 *   alone says whose feed it is.  mac is base64url(BLAKE2b keyed with the
 *   site secret of "feed:<id>:<generation>"), generation the member's row
 *   of feed_key (0 without one); it is checked in constant time.
 *   Regenerating (a form on /account) bumps the generation, so the old
 *   address answers 404 from then on, like a wrong mac, another member's
 *   id, or a member who is no longer active.  The access log shows the
 *   route's pattern, never the key.
 *
 * The XML is written by the small escaper below, not by the HTML writer:
 * text and attribute values escape & < > " ', and drop what XML 1.0 does
 * not allow (control characters but tab and newlines, U+FFFE, U+FFFF);
 * bytes that are not UTF-8 become U+FFFD.  Post bodies are rendered by
 * feed_render() and carried as escaped HTML (content type="html"); their
 * links are site-relative, resolved against the feed's xml:base.
 *
 * Absolute addresses are built from base_url in ruche.conf (app.h), the
 * address members type, never from the request's Host header.
 *
 * Owns the table feed_key.
 */
#include "feed.h"
#include "../app.h"
#include "../auth/auth.h"
#include "../db/db.h"
#include "../web/html.h"
#include "../web/i18n.h"
#include "../web/layout.h"

#include <sodium.h>
#include <time.h>

#define FEED_ATOM_ENTRIES 50   /* entries per feed: the latest */
#define FEED_ATOM_TITLE_MAX 80 /* characters of an entry's title */
#define FEED_ATOM_MAC_BYTES 32 /* BLAKE2b output of a personal key */
#define FEED_ATOM_MAC_TEXT 44  /* its base64url, no padding, plus NUL */
#define FEED_ATOM_KEY_MAX 72   /* "<id>-<mac>" plus NUL */
#define FEED_ATOM_TIME_TEXT 80 /* room for any struct tm snprintf can print */
#define FEED_ATOM_TYPE "application/atom+xml; charset=utf-8"

/* ---- XML output ------------------------------------------------------------------- */

/*
 * The code point of the UTF-8 sequence at s (n bytes left, n > 0) in *cp;
 * returns its length, or 0 when it is not valid UTF-8 (overlong forms,
 * surrogates and values past U+10FFFF included).
 */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t len;
    uint32_t c, min;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        len = 2, c = s[0] & 0x1F, min = 0x80;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        len = 3, c = s[0] & 0x0F, min = 0x800;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        len = 4, c = s[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* True for the characters XML 1.0 allows (its production Char). */
static bool xml_char_ok(uint32_t c)
{
    if (c < 0x20)
        return c == '\t' || c == '\n' || c == '\r';
    return c != 0xFFFE && c != 0xFFFF;
}

/*
 * The n bytes at s as XML character data or a quoted attribute value: & < >
 * " ' escaped, characters XML forbids dropped, invalid UTF-8 as U+FFFD.
 */
static void xml_escape(struct buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < n) {
        uint32_t c;
        size_t len = utf8_decode(p + i, n - i, &c);

        if (len == 0) {
            buf_addstr(b, "\xEF\xBF\xBD");
            i++;
            continue;
        }
        if (!xml_char_ok(c)) {
            i += len;
            continue;
        }
        switch (c) {
        case '&':
            buf_addstr(b, "&amp;");
            break;
        case '<':
            buf_addstr(b, "&lt;");
            break;
        case '>':
            buf_addstr(b, "&gt;");
            break;
        case '"':
            buf_addstr(b, "&quot;");
            break;
        case '\'':
            buf_addstr(b, "&apos;");
            break;
        case '\r':
            buf_addstr(b, "&#13;"); /* kept: a literal CR would be read as a newline */
            break;
        default:
            buf_add(b, p + i, len);
        }
        i += len;
    }
}

static void xml_escape_str(struct buf *b, const char *s)
{
    if (s)
        xml_escape(b, s, strlen(s));
}

/* <name>text</name>, name a literal, text escaped. */
#define xml_elem(b, name, text) xml_elem_((b), "" name "", (text))
static void xml_elem_(struct buf *b, const char *name, const char *text)
{
    buf_addf(b, "<%s>", name);
    xml_escape_str(b, text);
    buf_addf(b, "</%s>\n", name);
}

/* <link rel="rel" type="type" href="href"/>, rel and type literals. */
#define xml_link(b, rel, type, href) xml_link_((b), "" rel "", "" type "", (href))
static void xml_link_(struct buf *b, const char *rel, const char *type, const char *href)
{
    buf_addf(b, "<link rel=\"%s\" type=\"%s\" href=\"", rel, type);
    xml_escape_str(b, href);
    buf_addstr(b, "\"/>\n");
}

/* An instant as RFC 3339 in UTC ("2026-03-14T09:26:53Z"). */
static void rfc3339(char out[FEED_ATOM_TIME_TEXT], int64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;

    if (ms < 0 || !gmtime_r(&t, &tm)) {
        snprintf(out, FEED_ATOM_TIME_TEXT, "1970-01-01T00:00:00Z");
        return;
    }
    snprintf(out, FEED_ATOM_TIME_TEXT, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void xml_time(struct buf *b, const char *name_open, const char *name_close, int64_t ms)
{
    char when[FEED_ATOM_TIME_TEXT];

    rfc3339(when, ms);
    buf_addstr(b, name_open);
    buf_addstr(b, when);
    buf_addstr(b, name_close);
}

/* One line of a body as title text: block marks removed, spaces collapsed, into out. */
static void title_line(struct buf *out, const char *s, size_t n)
{
    const char *end = s + n;
    size_t hashes = 0;
    bool space = false;

    while (s < end && (*s == ' ' || *s == '\t' || *s == '>'))
        s++;
    while (hashes < (size_t)(end - s) && hashes < 7 && s[hashes] == '#')
        hashes++;
    if (hashes >= 1 && hashes <= 6 && (s + hashes == end || s[hashes] == ' ' || s[hashes] == '\t'))
        s += hashes; /* a heading: "## Title" (but "#tag" stays) */
    else if (end - s >= 2 && strchr("-*+", s[0]) && (s[1] == ' ' || s[1] == '\t'))
        s += 2; /* a list item */
    for (; s < end; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\r') {
            space = out->len > 0;
            continue;
        }
        if (space)
            buf_addch(out, ' ');
        space = false;
        buf_addch(out, *s);
    }
}

/*
 * An entry's title: the first line of the body that holds text, without
 * its Markdown block marks (# headings, > quotes, list bullets), spaces
 * collapsed, at most FEED_ATOM_TITLE_MAX characters (cut with "…").  ""
 * when the body holds no such line.  Memory from a.
 */
static const char *entry_title(struct arena *a, const char *body)
{
    const char *line = body;
    struct buf out;
    size_t chars = 0;

    buf_init_arena(&out, a);
    while (*line && out.len == 0) {
        size_t n = strcspn(line, "\n");
        title_line(&out, line, n);
        line += n + (line[n] == '\n');
    }
    for (size_t i = 0; i < out.len; i++) {
        if (((unsigned char)out.s[i] & 0xC0) == 0x80)
            continue; /* inside a character */
        if (++chars == FEED_ATOM_TITLE_MAX) {
            /* Is there more after this character? Then keep the first MAX - 1 and "…". */
            size_t next = i + 1;
            while (next < out.len && ((unsigned char)out.s[next] & 0xC0) == 0x80)
                next++;
            if (next == out.len)
                break;
            out.len = i;
            while (out.len && out.s[out.len - 1] == ' ')
                out.len--;
            out.s[out.len] = '\0';
            buf_addstr(&out, "…");
            break;
        }
    }
    return out.s;
}

/* ---- personal keys -------------------------------------------------------------- */

/* The member's current generation (0 without a row). */
static int key_generation(struct db *db, int64_t account_id, int64_t *generation)
{
    int rc = db_get_i64(db, generation, "SELECT generation FROM feed_key WHERE account_id = ?",
                        DB_I64(account_id));

    if (rc == ERR_NOTFOUND) {
        *generation = 0;
        rc = 0;
    }
    return rc;
}

/* base64url(BLAKE2b keyed with secret of "feed:<id>:<generation>"). */
static void key_mac(const unsigned char *secret, int64_t account_id, int64_t generation,
                    char out[FEED_ATOM_MAC_TEXT])
{
    unsigned char mac[FEED_ATOM_MAC_BYTES];
    char message[64];
    int n = snprintf(message, sizeof(message), "feed:%lld:%lld", (long long)account_id,
                     (long long)generation);

    crypto_generichash(mac, sizeof(mac), (const unsigned char *)message, (size_t)n, secret,
                       APP_SECRET_LEN);
    sodium_bin2base64(out, FEED_ATOM_MAC_TEXT, mac, sizeof(mac),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* "<id>-<mac>" of the member's current address. */
static int key_current(struct req *r, int64_t account_id, char out[FEED_ATOM_KEY_MAX])
{
    char mac[FEED_ATOM_MAC_TEXT];
    int64_t generation;
    int rc = key_generation(r->db, account_id, &generation);

    if (rc < 0)
        return rc;
    key_mac(r->app->secret, account_id, generation, mac);
    snprintf(out, FEED_ATOM_KEY_MAX, "%lld-%s", (long long)account_id, mac);
    return 0;
}

/*
 * Split "<id>-<mac>" (the ".atom" already removed): the id in *id, the mac
 * in mac.  False when malformed: an id that is not a positive decimal
 * without leading zeros, or a mac of the wrong length.
 */
static bool key_parse(const char *key, size_t len, int64_t *id, char mac[FEED_ATOM_MAC_TEXT])
{
    size_t digits = 0;
    int64_t v = 0;

    while (digits < len && key[digits] >= '0' && key[digits] <= '9') {
        if (digits >= 18)
            return false;
        v = v * 10 + (key[digits] - '0');
        digits++;
    }
    if (digits == 0 || key[0] == '0' || digits >= len || key[digits] != '-' ||
        len - digits - 1 != FEED_ATOM_MAC_TEXT - 1)
        return false;
    memcpy(mac, key + digits + 1, FEED_ATOM_MAC_TEXT - 1);
    mac[FEED_ATOM_MAC_TEXT - 1] = '\0';
    *id = v;
    return true;
}

/* ---- writing a feed --------------------------------------------------------------- */

/* What differs between the three feeds. */
struct atom_feed {
    const char *id;                       /* the feed's IRI */
    const char *title;                    /* plain text */
    const char *self;                     /* its own absolute address */
    const char *alternate;                /* the page it mirrors, or NULL */
    const char *author_name, *author_uri; /* the feed's author (uri may be NULL) */
};

/* base_url without its trailing slashes. */
static const char *site_base(struct req *r)
{
    const char *base = r->app && r->app->base_url ? r->app->base_url : "";
    size_t n = strlen(base);

    while (n && base[n - 1] == '/')
        n--;
    return arena_strndup(r->a, base, n);
}

static void write_entry(struct req *r, struct buf *b, const char *base, const struct feed_post *p)
{
    struct feed_mention *mentions = NULL;
    size_t mentions_len = 0;
    const char *title = entry_title(r->a, p->body);
    const char *post_url = arena_printf(r->a, "%s/posts/%lld", base, (long long)p->id);
    struct safe_html html;

    /* Only a body with an '@' can hold a mention: spare the others a query. */
    if (strchr(p->body, '@') &&
        feed_mentions_load(r->db, r->a, p->id, &mentions, &mentions_len) < 0)
        mentions_len = 0;
    html = feed_render(r->a, p->body, mentions, mentions_len);
    if (!*title)
        title = arena_printf(r->a, _(r, "Publication de %s"), p->author.name);
    buf_addstr(b, "<entry>\n");
    xml_elem(b, "id", post_url);
    xml_elem(b, "title", title);
    xml_time(b, "<published>", "</published>\n", p->created_ms);
    xml_time(b, "<updated>", "</updated>\n", p->edited_ms ? p->edited_ms : p->created_ms);
    buf_addstr(b, "<author>");
    xml_elem(b, "name", p->author.name);
    xml_elem(b, "uri", arena_printf(r->a, "%s/people/%lld", base, (long long)p->author.id));
    buf_addstr(b, "</author>\n");
    xml_link(b, "alternate", "text/html", post_url);
    buf_addstr(b, "<content type=\"html\">");
    xml_escape(b, html.html, html.len);
    buf_addstr(b, "</content>\n</entry>\n");
}

/* Reply with the feed f of the latest posts q shows to v. */
static int reply_feed(struct req *r, const struct viewer *v, struct feed_query *q,
                      const struct atom_feed *f, bool empty_is_notfound)
{
    const char *base = site_base(r);
    struct feed_post *items = NULL;
    size_t len = 0;
    int64_t next = 0, updated = 0;
    struct buf *b = &r->out;
    int rc;

    q->limit = FEED_ATOM_ENTRIES;
    if ((rc = feed_list(r->db, r->a, v, q, &items, &len, &next)) < 0)
        return http_reply_err(r, rc);
    if (len == 0 && empty_is_notfound)
        return http_reply_err(r, ERR_NOTFOUND);
    for (size_t i = 0; i < len; i++) {
        int64_t t = items[i].edited_ms ? items[i].edited_ms : items[i].created_ms;
        if (t > updated)
            updated = t;
    }
    buf_reset(b);
    buf_addstr(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                  "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
    xml_escape_str(b, r->lang ? r->lang : "fr");
    buf_addstr(b, "\" xml:base=\"");
    xml_escape_str(b, base);
    buf_addstr(b, "/\">\n");
    xml_elem(b, "id", f->id);
    xml_elem(b, "title", f->title);
    xml_time(b, "<updated>", "</updated>\n", len ? updated : time_now_ms());
    xml_link(b, "self", "application/atom+xml", f->self);
    if (f->alternate)
        xml_link(b, "alternate", "text/html", f->alternate);
    buf_addstr(b, "<author>");
    xml_elem(b, "name", f->author_name);
    if (f->author_uri)
        xml_elem(b, "uri", f->author_uri);
    buf_addstr(b, "</author>\n");
    buf_addstr(b, "<generator>Ruche</generator>\n");
    for (size_t i = 0; i < len; i++)
        write_entry(r, b, base, &items[i]);
    buf_addstr(b, "</feed>\n");
    r->status = 200;
    r->out_type = FEED_ATOM_TYPE;
    return 0;
}

/* Whom the public feeds are written for: a plain member who belongs to no community. */
static struct viewer plain_member(struct req *r)
{
    return (struct viewer){.id = 0, .role = ROLE_MEMBER, .name = "", .email = "", .lang = r->lang};
}

/* The tag as a path segment: percent-encoded. */
static const char *tag_segment(struct req *r, const char *tag)
{
    struct buf b;

    buf_init_arena(&b, r->a);
    url_encode(&b, tag, strlen(tag));
    return b.s;
}

int feed_atom_tag(struct req *r, const char *tag)
{
    const char *base = site_base(r), *seg;
    struct viewer v = plain_member(r);
    struct feed_query q = {.kind = FEED_TAG, .key_text = tag};
    struct atom_feed f;

    if (r->viewer.role < ROLE_MEMBER || !tag || !*tag)
        return http_reply_err(r, ERR_NOTFOUND);
    seg = tag_segment(r, tag);
    f = (struct atom_feed){
        .id = arena_printf(r->a, "%s/tags/%s.atom", base, seg),
        .title = arena_printf(r->a, "Ruche — #%s", tag),
        .self = arena_printf(r->a, "%s/tags/%s.atom", base, seg),
        .alternate = arena_printf(r->a, "%s/tags/%s", base, seg),
        .author_name = "Ruche",
    };
    return reply_feed(r, &v, &q, &f, true);
}

int feed_atom_person(struct req *r, int64_t person_id)
{
    const char *base = site_base(r);
    struct viewer v = plain_member(r);
    struct feed_query q = {.kind = FEED_PERSON, .key = person_id};
    struct account acc;
    struct atom_feed f;
    int rc;

    if (r->viewer.role < ROLE_MEMBER || person_id <= 0)
        return http_reply_err(r, ERR_NOTFOUND);
    if ((rc = auth_account_get(r->db, r->a, person_id, &acc)) < 0)
        return http_reply_err(r, rc);
    if (strcmp(acc.status, "deactivated") == 0)
        return http_reply_err(r, ERR_NOTFOUND);
    f = (struct atom_feed){
        .id = arena_printf(r->a, "%s/people/%lld.atom", base, (long long)person_id),
        .title = arena_printf(r->a, "Ruche — %s", acc.name),
        .self = arena_printf(r->a, "%s/people/%lld.atom", base, (long long)person_id),
        .alternate = arena_printf(r->a, "%s/people/%lld", base, (long long)person_id),
        .author_name = acc.name,
        .author_uri = arena_printf(r->a, "%s/people/%lld", base, (long long)person_id),
    };
    return reply_feed(r, &v, &q, &f, false);
}

/* GET /feeds/{id}-{mac}.atom: the member's home feed, for feed readers (no session). */
static int feed_atom_page_personal(struct req *r)
{
    const char *param = http_param(r, "key");
    size_t n = param ? strlen(param) : 0;
    char mac[FEED_ATOM_MAC_TEXT], expected[FEED_ATOM_MAC_TEXT];
    int64_t id = 0, generation = 0;
    const char *base = site_base(r);
    struct feed_query q = {.kind = FEED_HOME};
    struct account acc;
    struct viewer v;
    struct atom_feed f;
    int rc;

    if (n <= 5 || strcmp(param + n - 5, ".atom") != 0 || !key_parse(param, n - 5, &id, mac))
        return http_reply_err(r, ERR_NOTFOUND);
    if ((rc = key_generation(r->db, id, &generation)) < 0)
        return http_reply_err(r, rc);
    key_mac(r->app->secret, id, generation, expected);
    if (sodium_memcmp(expected, mac, FEED_ATOM_MAC_TEXT - 1) != 0)
        return http_reply_err(r, ERR_NOTFOUND);
    if ((rc = auth_account_get(r->db, r->a, id, &acc)) < 0)
        return http_reply_err(r, rc);
    if (strcmp(acc.status, "active") != 0)
        return http_reply_err(r, ERR_NOTFOUND);
    if (i18n_is_supported(acc.lang))
        r->lang = acc.lang;
    http_set_header(r, "X-Robots-Tag", "noindex"); /* a secret address: never in an index */
    v = (struct viewer){
        .id = acc.id, .role = acc.role, .name = acc.name, .email = acc.email, .lang = r->lang};
    f = (struct atom_feed){
        .id = arena_printf(r->a, "%s/feeds/home-%lld", base, (long long)id),
        .title = _(r, "Ruche — votre fil"),
        .self = arena_printf(r->a, "%s/feeds/%s", base, param),
        .alternate = arena_printf(r->a, "%s/", base),
        .author_name = "Ruche",
    };
    return reply_feed(r, &v, &q, &f, false);
}

/* ---- the address on the account page ---------------------------------------------------- */

int feed_atom_account_block(struct req *r, struct html *h)
{
    char key[FEED_ATOM_KEY_MAX];
    const char *done = http_query(r, "feed");
    int rc = key_current(r, r->viewer.id, key);

    if (rc < 0)
        return rc;
    html_fmt(h, "<section class=\"card\" id=\"feed\"><h2>%s</h2><p>%s</p>",
             _(r, "Votre fil dans un lecteur de flux"),
             _(r, "Suivez votre fil d'actualité dans un lecteur de flux Atom avec cette adresse "
                  "personnelle. Gardez-la pour vous : elle ouvre votre fil sans mot de passe."));
    if (done && strcmp(done, "regenerated") == 0)
        html_fmt(h, "<p class=\"notice\" role=\"status\">%s</p>",
                 _(r, "Nouvelle adresse créée : l'ancienne ne fonctionne plus."));
    html_fmt(h,
             "<p><label for=\"feed-url\">%s</label> "
             "<input id=\"feed-url\" type=\"text\" readonly value=\"%s/feeds/%s.atom\"></p><p><a",
             _(r, "Adresse de votre flux"), site_base(r), key);
    html_href(h, "/feeds/%s.atom", key);
    html_fmt(h, " type=\"application/atom+xml\">%s</a></p>", _(r, "Ouvrir le flux"));
    html_form_begin(h, r, "/account/feed");
    html_fmt(h, "<p>%s</p><button type=\"submit\" class=\"secondary\">%s</button></form></section>",
             _(r, "Adresse divulguée ? Créez-en une nouvelle : l'ancienne cessera aussitôt de "
                  "fonctionner."),
             _(r, "Créer une nouvelle adresse"));
    return 0;
}

/* POST /account/feed: a new personal address; the old one stops working. */
static int feed_atom_form_regenerate(struct req *r)
{
    int rc = db_exec(r->db,
                     "INSERT INTO feed_key (account_id, generation) VALUES (?, 1)"
                     " ON CONFLICT (account_id) DO UPDATE SET generation = feed_key.generation + 1",
                     DB_I64(r->viewer.id));

    if (rc < 0)
        return http_reply_err(r, rc);
    return http_reply_redirect(r, "/account?feed=regenerated#feed");
}

const struct route feed_atom_routes[] = {
    {HTTP_GET, "/feeds/{key}", feed_atom_page_personal, ACCESS_PUBLIC,
     ROUTE_SECRET_PATH | ROUTE_NO_SESSION | ROUTE_PASSWORD_EXEMPT, 0},
    {HTTP_POST, "/account/feed", feed_atom_form_regenerate, ACCESS_GUEST, 0, 0},
    {0, NULL, NULL, 0, 0, 0},
};
