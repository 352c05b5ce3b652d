/*
 * feed_preview.c - previews of shared links: requesting, fetching,
 * reading, storing, and showing them (see preview.h for the whole story).
 *
 * Publishing a post never waits for the network: feed_preview_request()
 * only writes a row and queues a job, inside the post's transaction.  The
 * job runs on the job worker, outside any transaction, and makes every
 * connection through the address guard (netguard.c): the host is resolved
 * and checked first, curl is pinned to the checked addresses
 * (CURLOPT_RESOLVE), and each socket is checked again as curl opens it
 * (CURLOPT_OPENSOCKETFUNCTION), so a name that changes its answer between
 * the check and the connection (DNS rebinding) is still refused.
 * Redirects are followed here, one request at a time, so that each new
 * host meets the guard.  Proxies from the environment are ignored.
 *
 * A page that times out or answers 5xx is tried FEED_PREVIEW_ATTEMPTS
 * times (the job queue's back-off: 30 s, then 2 min); anything else
 * (refused address, 4xx, not HTML, no title) fails at once.  A failed
 * preview is tried again when the URL is posted after
 * FEED_PREVIEW_REFRESH_MS.
 *
 * The only file that includes curl and libxml2.  Long-lived state: the
 * one-time initialisation of both libraries.
 */
#include "feed.h"
#include "netguard.h"
#include "preview.h"
#include "../app.h"
#include "../core/filestore.h"
#include "../core/log.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../jobs/jobs.h"
#include "../people/photo.h"
#include "../web/html.h"
#include "../web/i18n.h"

#include <curl/curl.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <sodium.h>
#include <strings.h>
#include <sys/socket.h>

#define PREVIEW_FILE_MAX (1024 * 1024) /* a stored thumbnail is far smaller */
#define PREVIEW_DIR "previews"         /* under files_dir: the images of previews */

/* International host names become punycode, which getaddrinfo() understands. */
#ifdef CURLU_PUNYCODE
#define URL_FLAGS CURLU_PUNYCODE
#else
#define URL_FLAGS 0
#endif

/* ---- asking for a preview ------------------------------------------------------- */

/* True for a URL this code may fetch: http:// or https://, valid UTF-8, no space or control. */
static bool is_http_url(const char *url)
{
    size_t n;

    if (!url)
        return false;
    n = strlen(url);
    if (n == 0 || n > FEED_URL_MAX || !str_is_utf8(url, n))
        return false;
    if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)url[i] <= ' ' || url[i] == 0x7f)
            return false;
    return true;
}

int feed_preview_request(struct db *db, const char *url)
{
    unsigned char digest[16];
    char hex[sizeof(digest) * 2 + 1], key[64];
    int64_t pending = 0;
    int rc;

    if (!is_http_url(url))
        return 0; /* nothing to preview: never a reason to refuse the post */
    /* A new URL, an old failure, or a pending one whose job may be gone: (re)queue. */
    rc = db_get_i64(db, &pending,
                    "INSERT INTO link_preview(url, status) VALUES (?, 'pending')"
                    " ON CONFLICT (url) DO UPDATE SET status = CASE"
                    "   WHEN link_preview.status = 'failed' AND link_preview.fetched_ms < ?"
                    "   THEN 'pending' ELSE link_preview.status END"
                    " RETURNING CASE WHEN status = 'pending' THEN 1 ELSE 0 END",
                    DB_TEXT(url), DB_I64(time_now_ms() - FEED_PREVIEW_REFRESH_MS));
    if (rc < 0 || !pending)
        return rc;
    crypto_generichash(digest, sizeof(digest), (const unsigned char *)url, strlen(url), NULL, 0);
    sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
    snprintf(key, sizeof(key), "link_preview:%s", hex);
    return jobs_enqueue_unique(db, "link_preview", key, url, 0);
}

/* ---- cleaning text ----------------------------------------------------------------- */

/* The code point of the valid UTF-8 sequence at s (n bytes left) in *cp and its length; 0 when
 * the bytes there are not valid UTF-8 (overlong, surrogate, truncated, past U+10FFFF). */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xbf;
    size_t len;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        *cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        *cp = c & 0x0f;
        lo = c == 0xe0 ? 0xa0 : 0x80;
        hi = c == 0xed ? 0x9f : 0xbf;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        *cp = c & 0x07;
        lo = c == 0xf0 ? 0x90 : 0x80;
        hi = c == 0xf4 ? 0x8f : 0xbf;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if (i > 1 && (s[i] < 0x80 || s[i] > 0xbf))
            return 0;
        *cp = *cp << 6 | (s[i] & 0x3f);
    }
    return len;
}

static bool is_space_cp(uint32_t cp)
{
    return cp == ' ' || (cp >= 0x09 && cp <= 0x0d) || cp == 0xa0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 || cp == 0x202f ||
           cp == 0x205f || cp == 0x3000;
}

/* Characters that would only hide or disorder text: controls, zero-width and bidi overrides. */
static bool is_dropped_cp(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x200b && cp <= 0x200f) ||
           (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

const char *feed_preview_clean(struct arena *a, const char *s, size_t max_chars)
{
    static const char replacement[] = "\xef\xbf\xbd", ellipsis[] = "\xe2\x80\xa6";
    const unsigned char *p = (const unsigned char *)s;
    size_t n = s ? strlen(s) : 0, chars = 0, cut = 0, i = 0;
    bool space = false, truncated = false;
    struct buf out;

    buf_init_arena(&out, a);
    while (i < n && !truncated) {
        uint32_t cp = 0xfffd;
        size_t len = utf8_next(p + i, n - i, &cp);
        const char *bytes = (const char *)p + i;

        if (len == 0) { /* one invalid byte: U+FFFD */
            len = 1;
            cp = 0xfffd;
            bytes = replacement;
        }
        i += len;
        if (is_space_cp(cp)) {
            space = out.len > 0;
            continue;
        }
        if (is_dropped_cp(cp))
            continue;
        if (chars + (space ? 1 : 0) + 1 > max_chars) {
            truncated = true;
            break;
        }
        if (space) {
            buf_addch(&out, ' ');
            chars++;
            space = false;
        }
        cut = out.len; /* where to cut to make room for the ellipsis */
        buf_add(&out, bytes, bytes == replacement ? 3 : len);
        chars++;
    }
    if (truncated && max_chars > 0) {
        out.len = chars >= max_chars ? cut : out.len;
        while (out.len && out.s[out.len - 1] == ' ')
            out.len--;
        if (out.cap)
            out.s[out.len] = '\0';
        buf_add(&out, ellipsis, 3);
    }
    return out.s;
}

const char *feed_preview_host(struct arena *a, const char *url)
{
    const char *p = url ? strstr(url, "://") : NULL, *end, *at;
    size_t n;
    char *host;

    if (!p)
        return "";
    p += 3;
    n = strcspn(p, "/?#\\");
    end = p + n;
    at = memrchr(p, '@', n);
    if (at)
        p = at + 1;
    if (*p == '[') {
        const char *close = memchr(p, ']', (size_t)(end - p));
        end = close ? close + 1 : end;
    } else {
        const char *colon = memchr(p, ':', (size_t)(end - p));
        end = colon ? colon : end;
    }
    host = str_lower_ascii(a, arena_strndup(a, p, (size_t)(end - p)));
    return str_is_utf8(host, strlen(host)) ? host : "";
}

/* ---- reading a page ------------------------------------------------------------- */

/* The first value found of each kind of tag, raw. */
struct found {
    const char *og_title, *twitter_title, *title;
    const char *og_description, *description, *twitter_description;
    const char *site_name;
    const char *og_image, *twitter_image;
};

/* Keep the text v (owned by libxml2) in *slot unless something was found there already. */
static void keep(struct arena *a, const char **slot, const xmlChar *v)
{
    if (!*slot && v && *v)
        *slot = arena_strdup(a, (const char *)v);
}

static bool name_is(const xmlChar *name, const char *want)
{
    return name && strcasecmp((const char *)name, want) == 0;
}

/* Record what element n says, if it is a <title> or a <meta> of interest. */
static void visit(struct arena *a, xmlNodePtr n, struct found *f)
{
    xmlChar *key, *content;

    if (name_is(n->name, "title")) {
        if (!f->title) {
            xmlChar *text = xmlNodeGetContent(n);
            keep(a, &f->title, text);
            xmlFree(text);
        }
        return;
    }
    if (!name_is(n->name, "meta"))
        return;
    key = xmlGetProp(n, (const xmlChar *)"property");
    if (!key)
        key = xmlGetProp(n, (const xmlChar *)"name");
    content = key ? xmlGetProp(n, (const xmlChar *)"content") : NULL;
    if (content) {
        if (name_is(key, "og:title"))
            keep(a, &f->og_title, content);
        else if (name_is(key, "twitter:title"))
            keep(a, &f->twitter_title, content);
        else if (name_is(key, "og:description"))
            keep(a, &f->og_description, content);
        else if (name_is(key, "description"))
            keep(a, &f->description, content);
        else if (name_is(key, "twitter:description"))
            keep(a, &f->twitter_description, content);
        else if (name_is(key, "og:site_name"))
            keep(a, &f->site_name, content);
        else if (name_is(key, "og:image") || name_is(key, "og:image:url") ||
                 name_is(key, "og:image:secure_url"))
            keep(a, &f->og_image, content);
        else if (name_is(key, "twitter:image") || name_is(key, "twitter:image:src"))
            keep(a, &f->twitter_image, content);
    }
    xmlFree(content);
    xmlFree(key);
}

/* Visit every element under root, without recursion (a page may nest deeply). */
static void walk(struct arena *a, xmlNodePtr root, struct found *f)
{
    xmlNodePtr n = root;

    while (n) {
        if (n->type == XML_ELEMENT_NODE) {
            visit(a, n, f);
            if (n->children) {
                n = n->children;
                continue;
            }
        }
        while (n != root && !n->next)
            n = n->parent;
        if (n == root)
            break;
        n = n->next;
    }
}

static void libraries_init_once(void)
{
    xmlInitParser();
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void libraries_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;

    pthread_once(&once, libraries_init_once);
}

/* The first of three texts (NULL for none) that is not empty once cleaned; "" otherwise. */
static const char *first_clean(struct arena *a, size_t max, const char *t1, const char *t2,
                               const char *t3)
{
    const char *candidates[] = {t1, t2, t3};

    for (size_t i = 0; i < ARRAY_SIZE(candidates); i++) {
        const char *s = candidates[i] ? feed_preview_clean(a, candidates[i], max) : "";
        if (*s)
            return s;
    }
    return "";
}

/* A URL as written in an attribute, without surrounding white space; "" when too long. */
static const char *url_text(struct arena *a, const char *s)
{
    size_t n;

    if (!s)
        return "";
    s = str_trim(s, &n);
    return n <= FEED_URL_MAX ? arena_strndup(a, s, n) : "";
}

void feed_preview_parse(struct arena *a, const char *html, size_t n, const char *charset,
                        struct feed_preview_meta *out)
{
    const int options = HTML_PARSE_NONET | HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                        HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT;
    struct found f = {0};
    htmlDocPtr doc = NULL;
    xmlNodePtr root;

    libraries_init();
    if (n > 0 && n <= INT32_MAX) {
        doc = htmlReadMemory(html, (int)n, NULL, charset, options);
        if (!doc && charset)
            doc = htmlReadMemory(html, (int)n, NULL, NULL, options);
    }
    if (doc && (root = xmlDocGetRootElement(doc)))
        walk(a, root, &f);
    if (doc)
        xmlFreeDoc(doc);
    out->title = first_clean(a, FEED_PREVIEW_TITLE_MAX, f.og_title, f.twitter_title, f.title);
    out->description = first_clean(a, FEED_PREVIEW_DESCRIPTION_MAX, f.og_description, f.description,
                                   f.twitter_description);
    out->site_name = first_clean(a, FEED_PREVIEW_SITE_MAX, f.site_name, NULL, NULL);
    out->image_url = url_text(a, f.og_image ? f.og_image : f.twitter_image);
}

/* ---- fetching through the guard --------------------------------------------------- */

/* One request: what it may do and what it got. */
struct fetch {
    bool host_allowed; /* the host is listed: any address it has is accepted */
    size_t cap;        /* bytes of body kept at most */
    bool cut_ok;       /* past cap: keep the start (HTML) rather than fail (images) */
    struct buf body;
    bool cut;            /* the body was longer than cap; the rest was not read */
    bool socket_refused; /* the guard refused an address as curl connected */
    enum feed_net_class refused_as;
};

/* What a fetch ends with. */
struct fetched {
    const char *url;          /* after redirects */
    const char *content_type; /* "" when none */
    struct buf body;
    bool cut;
};

static size_t on_data(char *data, size_t size, size_t nmemb, void *ctx)
{
    struct fetch *f = ctx;
    size_t n = size * nmemb;

    if (n > f->cap - f->body.len) {
        if (f->cut_ok)
            buf_add(&f->body, data, f->cap - f->body.len);
        f->cut = true;
        return 0; /* anything but n stops the transfer */
    }
    buf_add(&f->body, data, n);
    return n;
}

/* curl is about to connect: check the address once more (DNS rebinding, pinning mistakes). */
static curl_socket_t on_socket(void *ctx, curlsocktype purpose, struct curl_sockaddr *address)
{
    struct fetch *f = ctx;
    struct sockaddr_storage ss = {0};
    size_t len = address->addrlen < sizeof(ss) ? address->addrlen : sizeof(ss);
    int fd;

    memcpy(&ss, &address->addr, len);
    f->refused_as = feed_netguard_classify((struct sockaddr *)&ss);
    if (purpose != CURLSOCKTYPE_IPCXN || (!f->host_allowed && f->refused_as != FEED_NET_PUBLIC)) {
        f->socket_refused = true;
        return CURL_SOCKET_BAD;
    }
    fd = socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
    return fd < 0 ? CURL_SOCKET_BAD : fd;
}

/* The parts of url curl will use: scheme (lower-case), host and port.  ERR_INVALID when it is
 * not an absolute http(s) URL. */
static int url_parts(struct arena *a, CURLU *u, const char **host, const char **port)
{
    char *scheme = NULL, *h = NULL, *p = NULL;
    int rc = ERR_INVALID;

    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0) &&
        curl_url_get(u, CURLUPART_HOST, &h, URL_FLAGS) == CURLUE_OK && *h &&
        curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) == CURLUE_OK) {
        *host = arena_strdup(a, h);
        *port = arena_strdup(a, p);
        rc = 0;
    }
    curl_free(scheme);
    curl_free(h);
    curl_free(p);
    return rc;
}

/*
 * The CURLOPT_RESOLVE entry pinning host:port to the checked addresses, or
 * NULL for a numeric host, which curl does not resolve.
 */
static const char *pin_entry(struct arena *a, const char *host, const char *port,
                             const struct feed_netguard_addrs *addrs)
{
    struct buf b;

    if (feed_netguard_classify_text(host) != FEED_NET_INVALID)
        return NULL;
    buf_init_arena(&b, a);
    buf_addf(&b, "%s:%s:", host, port);
    for (size_t i = 0; i < addrs->len; i++)
        buf_addf(&b, "%s%s", i ? "," : "", addrs->addr[i]);
    return b.s;
}

/* A transfer's curl error as this file's error codes: what may be retried is ERR_IO. */
static int curl_err(CURLcode code, const struct fetch *f)
{
    if (f->socket_refused)
        return ERR_DENIED;
    switch (code) {
    case CURLE_FILESIZE_EXCEEDED:
        return ERR_TOOBIG;
    case CURLE_WRITE_ERROR:
        return f->cut ? ERR_TOOBIG : ERR_IO;
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
        return ERR_IO;
    default:
        return ERR_INVALID; /* bad URL, certificate, protocol: trying again will not help */
    }
}

/*
 * One GET of url through the guard, without following redirects.  0 with
 * out filled; 1 with *location set for a redirect; ERR_DENIED (refused
 * address), ERR_INVALID, ERR_NOTFOUND, ERR_TOOBIG (final) or ERR_IO (may
 * be retried), with *error saying why.
 */
static int request_once(struct arena *a, const char *allow, const char *url, size_t cap,
                        bool cut_ok, const char *accept, int64_t deadline_us, struct fetched *out,
                        const char **location, const char **error)
{
    struct fetch f = {.cap = cap, .cut_ok = cut_ok};
    struct feed_netguard_addrs addrs;
    struct curl_slist *pins = NULL, *headers = NULL;
    enum feed_net_class why;
    const char *host, *port, *pin;
    CURLU *u = curl_url();
    CURL *curl = NULL;
    CURLcode code;
    long status = 0, left_ms = (long)((deadline_us - time_mono_us()) / 1000);
    char *type = NULL, *redirect = NULL;
    int rc;

    buf_init_arena(&f.body, a);
    if (left_ms <= 0) {
        *error = "timed out";
        rc = ERR_IO;
        goto out;
    }
    if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        url_parts(a, u, &host, &port) < 0) {
        *error = "not an http(s) URL";
        rc = ERR_INVALID;
        goto out;
    }
    rc = feed_netguard_resolve(allow, host, &addrs, &why);
    if (rc < 0) {
        *error = rc == ERR_DENIED ? arena_printf(a, "address refused: %s", feed_net_class_name(why))
                                  : "host not found";
        goto out;
    }
    f.host_allowed = addrs.host_allowed;
    pin = pin_entry(a, host, port, &addrs);
    if (pin && !(pins = curl_slist_append(NULL, pin))) {
        rc = ERR_NOMEM;
        *error = "out of memory";
        goto out;
    }
    headers = curl_slist_append(NULL, arena_printf(a, "Accept: %s", accept));
    if (headers)
        headers = curl_slist_append(headers, "Accept-Language: fr, en;q=0.8");
    if (!headers || !(curl = curl_easy_init())) {
        rc = ERR_NOMEM;
        *error = "out of memory";
        goto out;
    }
    curl_easy_setopt(curl, CURLOPT_CURLU, u);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_PROXY, "");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, left_ms);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     left_ms < FEED_PREVIEW_CONNECT_MS ? left_ms : (long)FEED_PREVIEW_CONNECT_MS);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, FEED_PREVIEW_USER_AGENT);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    if (!cut_ok)
        curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)cap);
    if (pins)
        curl_easy_setopt(curl, CURLOPT_RESOLVE, pins);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, on_socket);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &f);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &f);

    code = curl_easy_perform(curl);
    if (code != CURLE_OK && !(code == CURLE_WRITE_ERROR && f.cut && cut_ok)) {
        rc = curl_err(code, &f);
        *error = rc == ERR_DENIED
                     ? arena_printf(a, "address refused: %s", feed_net_class_name(f.refused_as))
                 : rc == ERR_TOOBIG ? "too big"
                                    : arena_strdup(a, curl_easy_strerror(code));
        goto out;
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
    if (status >= 300 && status < 400) {
        curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &redirect);
        if (!redirect || !*redirect) {
            *error = "redirect without a location";
            rc = ERR_INVALID;
            goto out;
        }
        *location = arena_strdup(a, redirect);
        rc = 1;
        goto out;
    }
    if (status < 200 || status >= 300) {
        *error = arena_printf(a, "HTTP status %ld", status);
        rc = status == 429 || status >= 500 ? ERR_IO : ERR_NOTFOUND;
        goto out;
    }
    out->url = arena_strdup(a, url);
    out->content_type = arena_strdup(a, type ? type : "");
    out->body = f.body;
    out->cut = f.cut;
    rc = 0;
out:
    if (curl)
        curl_easy_cleanup(curl);
    curl_slist_free_all(headers);
    curl_slist_free_all(pins);
    curl_url_cleanup(u);
    return rc;
}

/*
 * GET url following at most FEED_PREVIEW_REDIRECTS_MAX redirects, each
 * through the guard, all within FEED_PREVIEW_TIMEOUT_MS.
 */
static int fetch(struct arena *a, const char *allow, const char *url, size_t cap, bool cut_ok,
                 const char *accept, struct fetched *out, const char **error)
{
    int64_t deadline_us = time_mono_us() + FEED_PREVIEW_TIMEOUT_MS * 1000LL;

    for (int hop = 0;; hop++) {
        const char *location = NULL;
        int rc =
            request_once(a, allow, url, cap, cut_ok, accept, deadline_us, out, &location, error);

        if (rc != 1)
            return rc;
        if (hop == FEED_PREVIEW_REDIRECTS_MAX) {
            *error = "too many redirects";
            return ERR_INVALID;
        }
        if (strlen(location) > FEED_URL_MAX) {
            *error = "redirect to a too long URL";
            return ERR_INVALID;
        }
        url = location;
    }
}

/* True when the Content-Type names an HTML page (or names nothing: let the parser try). */
static bool is_html_type(const char *type)
{
    size_t n = strcspn(type, "; \t");

    return n == 0 || (n == 9 && strncasecmp(type, "text/html", 9) == 0) ||
           (n == 21 && strncasecmp(type, "application/xhtml+xml", 21) == 0);
}

/* The charset parameter of a Content-Type, or NULL when absent or odd-looking. */
static const char *type_charset(struct arena *a, const char *type)
{
    const char *p = strcasestr(type, "charset=");
    size_t n;

    if (!p)
        return NULL;
    p += 8;
    if (*p == '"')
        p++;
    n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:");
    return n > 0 && n <= 40 ? arena_strndup(a, p, n) : NULL;
}

/* url resolved against base, as an absolute URL in arena memory; NULL when unusable. */
static const char *url_resolve(struct arena *a, const char *base, const char *url)
{
    CURLU *u = curl_url();
    char *abs = NULL;
    const char *result = NULL;

    if (u && *url && curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_URL, &abs, 0) == CURLUE_OK && is_http_url(abs))
        result = arena_strdup(a, abs);
    curl_free(abs);
    curl_url_cleanup(u);
    return result;
}

/* ---- the job ---------------------------------------------------------------------- */

/* Record a failure: final, or (a time-out, a 5xx) left pending for another attempt. */
static int preview_failed(struct job *job, const char *url, int rc, const char *error)
{
    bool again = rc == ERR_IO && job->attempts < FEED_PREVIEW_ATTEMPTS;
    int db_rc;

    log_warn("feed", "link preview failed", "url", url, "error", error, "retry",
             again ? "yes" : "no", NULL);
    if (again) {
        job->error = error;
        db_rc = db_exec(job->db, "UPDATE link_preview SET error = ? WHERE url = ?", DB_TEXT(error),
                        DB_TEXT(url));
        return db_rc < 0 ? db_rc : ERR_IO;
    }
    return db_exec(job->db,
                   "UPDATE link_preview SET status = 'failed', error = ?, fetched_ms = ?"
                   " WHERE url = ?",
                   DB_TEXT(error), DB_I64(time_now_ms()), DB_TEXT(url));
}

/* The folder of preview images: files_dir/previews, in arena memory. */
static const char *preview_root(struct arena *a, const struct app *app)
{
    return arena_printf(a, "%s/" PREVIEW_DIR, app->files_dir);
}

/* Fetch and store the image of a page; its hash, or "" when there is none worth showing. */
static const char *preview_image(struct job *job, const char *page_url, const char *image_url)
{
    const char *url = *image_url ? url_resolve(job->a, page_url, image_url) : NULL;
    const char *error = NULL, *hash = NULL;
    struct fetched img;
    int rc;

    if (!url)
        return "";
    rc = fetch(job->a, job->app->preview_allow_hosts, url, FEED_PREVIEW_IMAGE_MAX, false,
               "image/jpeg, image/png, image/webp;q=0.9, */*;q=0.1", &img, &error);
    if (rc == 0) {
        struct buf jpeg;
        rc = people_photo_fit(job->a, (const unsigned char *)img.body.s, img.body.len,
                              FEED_PREVIEW_THUMB_WIDTH, FEED_PREVIEW_THUMB_HEIGHT, &jpeg);
        if (rc < 0)
            error = "not a readable image";
        else if ((rc = filestore_put(job->a, preview_root(job->a, job->app), jpeg.s, jpeg.len,
                                     ".jpg", &hash)) < 0)
            error = "cannot store the image";
    }
    if (rc < 0) {
        log_info("feed", "link preview without its image", "url", url, "error", error, NULL);
        return "";
    }
    return hash;
}

int feed_preview_job(struct job *job)
{
    const char *url = job->payload, *error = NULL, *image_hash;
    struct feed_preview_meta meta;
    struct fetched page;
    char *status = NULL;
    int rc;

    libraries_init();
    rc = db_get_text(job->db, job->a, &status, "SELECT status FROM link_preview WHERE url = ?",
                     DB_TEXT(url));
    if (rc == ERR_NOTFOUND || (rc == 0 && (!status || strcmp(status, "pending") != 0)))
        return 0; /* done already, or forgotten */
    if (rc < 0)
        return rc;
    if (!is_http_url(url))
        return preview_failed(job, url, ERR_INVALID, "not an http(s) URL");
    rc = fetch(job->a, job->app->preview_allow_hosts, url, FEED_PREVIEW_HTML_MAX, true,
               "text/html, application/xhtml+xml;q=0.9, */*;q=0.1", &page, &error);
    if (rc == 0 && !is_html_type(page.content_type)) {
        rc = ERR_INVALID;
        error = "not an HTML page";
    }
    if (rc < 0)
        return preview_failed(job, url, rc, error);
    feed_preview_parse(job->a, page.body.s, page.body.len, type_charset(job->a, page.content_type),
                       &meta);
    if (!*meta.title)
        return preview_failed(job, url, ERR_INVALID, "no title");
    image_hash = preview_image(job, page.url, meta.image_url);
    rc = db_exec(job->db,
                 "UPDATE link_preview SET status = 'ok', title = ?, description = ?,"
                 " site_name = ?, image_hash = ?, error = '', fetched_ms = ? WHERE url = ?",
                 DB_TEXT(meta.title), DB_TEXT(meta.description), DB_TEXT(meta.site_name),
                 DB_TEXT(image_hash), DB_I64(time_now_ms()), DB_TEXT(url));
    if (rc == 0)
        log_info("feed", "link preview ready", "url", url, "image", *image_hash ? "yes" : "no",
                 NULL);
    return rc;
}

/* ---- showing it ------------------------------------------------------------------- */

void feed_preview_card(struct req *r, struct html *h, const struct feed_post *p)
{
    const struct feed_preview *pv = &p->preview;
    const char *site;

    if (!pv->status || strcmp(pv->status, "ok") != 0 || !pv->title || !*pv->title ||
        !is_http_url(pv->url))
        return;
    site = pv->site_name && *pv->site_name ? pv->site_name : feed_preview_host(r->a, pv->url);
    html_fmt(h, "<aside class=\"link-card%s\" aria-label=\"%s\">",
             pv->has_image ? " has-image" : "", _(r, "Aperçu du lien"));
    if (pv->has_image) {
        html_lit(h, "<img class=\"link-card-image\"");
        html_src(h, "/posts/%lld/preview", (long long)p->id);
        html_lit(h, " alt=\"\" loading=\"lazy\">");
    }
    html_lit(h, "<div class=\"link-card-text\"><a class=\"link-card-title\"");
    html_href_ext(h, pv->url);
    html_fmt(h, ">%s</a>", pv->title);
    if (pv->description && *pv->description)
        html_fmt(h, "<p class=\"link-card-description\">%s</p>", pv->description);
    if (*site)
        html_fmt(h, "<p class=\"link-card-site\">%s</p>", site);
    html_lit(h, "</div></aside>");
}

int feed_page_preview_image(struct req *r)
{
    int64_t id = http_param_id(r, "id");
    const char *path, *etag, *inm;
    struct feed_post post;
    char *hash = NULL;
    int rc;

    if (!id)
        return http_reply_err(r, ERR_NOTFOUND);
    /* The permission check: the viewer may read the post, or it does not exist for them. */
    if ((rc = feed_post_load(r->db, r->a, &r->viewer, id, &post)) < 0)
        return http_reply_err(r, rc);
    if (!post.preview.url || !*post.preview.url)
        return http_reply_err(r, ERR_NOTFOUND);
    rc = db_get_text(r->db, r->a, &hash,
                     "SELECT image_hash FROM link_preview WHERE url = ? AND status = 'ok'",
                     DB_TEXT(post.preview.url));
    if (rc < 0)
        return http_reply_err(r, rc);
    if (!hash || !(path = filestore_path(r->a, preview_root(r->a, r->app), hash, ".jpg")))
        return http_reply_err(r, ERR_NOTFOUND);
    etag = arena_printf(r->a, "\"%s\"", hash);
    http_set_header(r, "ETag", etag);
    http_set_header(r, "Cache-Control", "private, max-age=3600");
    inm = http_header(r, "If-None-Match");
    if (inm && strcmp(inm, etag) == 0) {
        r->status = 304;
        return 0;
    }
    if ((rc = filestore_read(path, PREVIEW_FILE_MAX, &r->out)) < 0)
        return http_reply_err(r, rc == ERR_TOOBIG ? ERR_IO : rc);
    r->out_type = "image/jpeg";
    r->status = 200;
    return 0;
}

const struct route feed_preview_routes[] = {
    {HTTP_GET, "/posts/{id}/preview", feed_page_preview_image, ACCESS_GUEST, 0, 0},
    {0, NULL, NULL, 0, 0, 0},
};
