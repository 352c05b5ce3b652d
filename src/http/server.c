/*
 * server.c - the libmicrohttpd adapter: connections in, struct req out.
 *
 * The only file that includes microhttpd.h.  It runs the library in its
 * epoll thread-pool mode (never a pool of one: it stalls at 128+
 * keep-alive connections, see shared/notes/libmicrohttpd.md), enforces the
 * route's body limit while the body streams in (chunked bodies included),
 * feeds urlencoded and multipart bodies to the library's post processor,
 * and answers on the second handler call so keep-alive survives.
 *
 * Long-lived state: the daemon and a count of requests in flight, used to
 * let them finish on shutdown.  Per-request state (struct conn_state) is
 * made by the URI-log callback and freed when the request completes.
 */
#include "server.h"
#include "http_internal.h"
#include "../core/log.h"
#include "../core/str.h"
#include "../auth/auth.h"
#include "../db/db.h"
#include "../web/html.h"
#include "../web/i18n.h"
#include "../app.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <sys/resource.h>
#include <stdatomic.h>
#include <time.h>

#define POST_BUFFER_SIZE (64 * 1024)
/* A body over its limit is read and dropped up to this much, then the connection is cut. */
#define BODY_DRAIN_MAX (64 * 1024 * 1024)
#define SHUTDOWN_WAIT_MS 10000
/* Live streams stay open: room for 10,000 browsers and more (see raise_fd_limit()). */
#define HTTP_CONNECTIONS_MAX 20000

struct http_server {
    struct MHD_Daemon *daemon;
    struct app *app;
    atomic_int in_flight;
};

struct conn_state {
    struct arena arena;
    struct req r;
    struct http_server *srv;
    const char *raw_uri;
    int64_t start_us;
    bool started;
    bool answered; /* a response was queued */
    /* body */
    struct MHD_PostProcessor *pp;
    bool is_urlencoded;
    struct urlenc_scan scan;
    size_t body_bytes, body_limit;
    bool too_big;
    const char *bad_input; /* French message id for a 400, NULL when fine */
    const char *bad_field; /* the form field it is about, or NULL */
    struct buf field;      /* value of the form field being received */
    struct kv *field_kv;
    bool field_is_file;
    char client_ip[INET6_ADDRSTRLEN];
};

const char *http_header(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

/* ---- starting a request ----------------------------------------------- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    struct http_server *srv = cls;
    struct conn_state *st = calloc(1, sizeof(*st));

    (void)c;
    if (!st)
        BUG("out of memory (connection state)");
    arena_init(&st->arena);
    st->srv = srv;
    st->start_us = time_mono_us();
    st->raw_uri = arena_strdup(&st->arena, uri);
    atomic_fetch_add(&srv->in_flight, 1);
    return st;
}

/* True when ip is one of the space-separated addresses of list. */
static bool address_listed(const char *list, const char *ip)
{
    size_t n = strlen(ip);

    for (const char *p = list ? strstr(list, ip) : NULL; p; p = strstr(p + 1, ip))
        if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
            return true;
    return false;
}

/*
 * The client's address: the socket's peer, or, when that peer is a trusted
 * proxy, the last address of X-Forwarded-For (the one the proxy added).
 */
static void client_address(struct conn_state *st, struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = info ? info->client_addr : NULL;
    const char *forwarded, *last;
    unsigned char probe[sizeof(struct in6_addr)];
    char candidate[INET6_ADDRSTRLEN];
    size_t n;

    snprintf(st->client_ip, sizeof(st->client_ip), "-");
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, st->client_ip,
                  sizeof(st->client_ip));
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                  st->client_ip, sizeof(st->client_ip));
    if (!address_listed(st->srv->app->trusted_proxies, st->client_ip))
        return;
    forwarded = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
    if (!forwarded)
        return;
    last = strrchr(forwarded, ',');
    last = last ? last + 1 : forwarded;
    while (*last == ' ')
        last++;
    n = strcspn(last, " ");
    if (n == 0 || n >= sizeof(candidate))
        return;
    memcpy(candidate, last, n);
    candidate[n] = '\0';
    if (inet_pton(AF_INET, candidate, probe) == 1 || inet_pton(AF_INET6, candidate, probe) == 1)
        memcpy(st->client_ip, candidate, n + 1);
}

/* Split the raw URI into a decoded path and a strictly parsed query. */
static void parse_uri(struct conn_state *st)
{
    struct req *r = &st->r;
    const char *q = strchr(st->raw_uri, '?');
    size_t path_len = q ? (size_t)(q - st->raw_uri) : strlen(st->raw_uri);
    char *path = arena_strndup(r->a, st->raw_uri, path_len);
    const char *bad_field;

    r->path = "/";
    if (path[0] != '/' || !url_decode(path, &path_len, false) || !str_is_utf8(path, path_len)) {
        st->bad_input = N_("L'adresse demandée est mal formée.");
        return;
    }
    r->path = path;
    if (q && form_parse_urlencoded(r->a, q + 1, strlen(q + 1), &r->query, &bad_field) < 0)
        st->bad_input = N_("Les paramètres de l'adresse sont mal formés (encodage ou UTF-8).");
}

static const char *media_type(struct arena *a, const char *content_type)
{
    size_t n;

    if (!content_type)
        return NULL;
    n = strcspn(content_type, ";");
    while (n && content_type[n - 1] == ' ')
        n--;
    return str_lower_ascii(a, arena_strndup(a, content_type, n));
}

/* Flush the form field being received into r->form, checking its text. */
static void field_flush(struct conn_state *st)
{
    if (!st->field_kv)
        return;
    st->field_kv->value = st->field.s;
    st->field_kv->value_len = st->field.len;
    if (!st->field_is_file && !st->bad_input && !str_is_utf8(st->field.s, st->field.len)) {
        st->bad_input = N_("Un champ contient un texte invalide (caractères non UTF-8 ou nul).");
        st->bad_field = st->field_kv->name;
    }
    st->field_kv = NULL;
}

/* True when two multipart file names (NULL for a part that is not a file) are the same. */
static bool same_filename(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static enum MHD_Result on_post_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *filename, const char *content_type,
                                     const char *transfer_encoding, const char *data, uint64_t off,
                                     size_t size)
{
    struct conn_state *st = cls;
    struct req *r = &st->r;

    (void)kind;
    (void)transfer_encoding;
    /* The library may announce a field with an empty chunk, then send its data at offset 0
     * again: that continues the same field, it does not repeat it.  A part with another
     * file name is another field, even after an empty file of the same field name. */
    if (!st->field_kv || (off == 0 && (st->field.len > 0 || strcmp(st->field_kv->name, key) != 0 ||
                                       !same_filename(st->field_kv->filename, filename)))) {
        field_flush(st);
        if (r->form.len >= 1000) {
            st->bad_input = N_("Le formulaire contient trop de champs.");
            return MHD_NO;
        }
        if (!str_is_utf8(key, strlen(key))) {
            st->bad_input = N_("Un nom de champ est invalide.");
            return MHD_NO;
        }
        st->field_kv = kv_list_add(r->a, &r->form, key, "", 0);
        st->field_kv->filename = filename ? arena_strdup(r->a, filename) : NULL;
        st->field_kv->content_type = content_type ? arena_strdup(r->a, content_type) : NULL;
        st->field_is_file = filename != NULL;
        buf_init_arena(&st->field, r->a);
    }
    buf_add(&st->field, data, size);
    return MHD_YES;
}

/* ---- streams ------------------------------------------------------------- */

struct http_stream {
    struct MHD_Connection *conn;
    pthread_mutex_t lock;
    bool suspended; /* parked until http_stream_wake() */
    const struct http_stream_ops *ops;
    void *ctx;
};

struct http_stream *http_reply_stream(struct req *r, const char *content_type,
                                      const struct http_stream_ops *ops, void *ctx)
{
    struct http_stream *s = calloc(1, sizeof(*s));

    if (!s)
        return NULL;
    s->conn = r->conn;
    s->ops = ops;
    s->ctx = ctx;
    pthread_mutex_init(&s->lock, NULL);
    r->stream = s;
    r->status = 200;
    r->out_type = content_type;
    http_set_header(r, "X-Accel-Buffering", "no"); /* nginx: pass events through at once */
    return s;
}

void http_stream_wake(struct http_stream *s)
{
    pthread_mutex_lock(&s->lock);
    if (s->suspended) {
        s->suspended = false;
        MHD_resume_connection(s->conn);
    }
    pthread_mutex_unlock(&s->lock);
}

/* The library asks for more of the body: what fill() has, or park the connection. */
static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct http_stream *s = cls;
    bool end = false;
    size_t n;

    (void)pos;
    pthread_mutex_lock(&s->lock);
    n = s->ops->fill(s->ctx, buf, max, &end);
    if (n == 0 && !end) {
        s->suspended = true;
        MHD_suspend_connection(s->conn);
    }
    pthread_mutex_unlock(&s->lock);
    if (n == 0 && end)
        return MHD_CONTENT_READER_END_OF_STREAM;
    return (ssize_t)n;
}

static void stream_free(void *cls)
{
    struct http_stream *s = cls;

    s->ops->closed(s->ctx);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

/* Queue the response built in r; the body stays in the arena until completion. */
static enum MHD_Result queue_response(struct conn_state *st, struct MHD_Connection *c)
{
    struct req *r = &st->r;
    struct MHD_Response *resp;
    enum MHD_Result ret;

    if (r->status == 0)
        r->status = 200;
    if (r->stream)
        resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_read, r->stream,
                                                 stream_free);
    else
        resp = MHD_create_response_from_buffer(r->out.len, r->out.s, MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        if (r->stream)
            stream_free(r->stream);
        return MHD_NO;
    }
    for (size_t i = 0; http_security_headers[i][0]; i++)
        MHD_add_response_header(resp, http_security_headers[i][0], http_security_headers[i][1]);
    if (r->out_type)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->out_type);
    if (!kv_list_find(&r->out_headers, "Cache-Control"))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    for (size_t i = 0; i < r->out_headers.len; i++)
        MHD_add_response_header(resp, r->out_headers.items[i].name, r->out_headers.items[i].value);
    ret = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    st->answered = true;
    return ret;
}

/* Language of the page before the viewer is known: cookie, then Accept-Language. */
static const char *visitor_lang(struct req *r)
{
    const char *cookie = http_cookie(r, "ruche_lang");

    if (cookie && i18n_is_supported(cookie))
        return cookie;
    return i18n_negotiate(http_header(r, "Accept-Language"));
}

static enum MHD_Result begin_request(struct conn_state *st, struct MHD_Connection *c,
                                     const char *method)
{
    struct req *r = &st->r;
    const char *length;
    unsigned allowed;

    r->a = &st->arena;
    r->app = st->srv->app;
    r->conn = c;
    buf_init_arena(&r->out, r->a);
    buf_init_arena(&r->body, r->a);
    r->method = http_method_parse(method);
    client_address(st, c);
    r->client_ip = st->client_ip;
    r->lang = visitor_lang(r);
    parse_uri(st);
    r->is_api = str_starts_with(r->path, "/api/");
    if (r->method)
        r->route = router_find(r->method, r->path, r->a, &r->params, &allowed);
    if (r->route && (r->route->flags & ROUTE_API))
        r->is_api = true;
    r->content_type = media_type(r->a, http_header(r, MHD_HTTP_HEADER_CONTENT_TYPE));
    st->body_limit = r->route && r->route->body_limit ? r->route->body_limit : ROUTE_BODY_DEFAULT;
    st->started = true;

    length = http_header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (length && strtoull(length, NULL, 10) > BODY_DRAIN_MAX) {
        /* Answered at once: the library then closes the connection unread. */
        http_reply_err(r, ERR_TOOBIG);
        return queue_response(st, c);
    }
    /* A body over the limit but within BODY_DRAIN_MAX is read and dropped, then answered
     * 413: closing on a client still sending would reset the connection, and the client
     * would never see the answer. */
    if (r->content_type && (strcmp(r->content_type, "application/x-www-form-urlencoded") == 0 ||
                            strcmp(r->content_type, "multipart/form-data") == 0)) {
        st->is_urlencoded = r->content_type[0] == 'a';
        st->pp = MHD_create_post_processor(c, POST_BUFFER_SIZE, on_post_field, st);
        if (!st->pp)
            st->bad_input = N_("Le corps du formulaire est mal formé (délimiteur manquant).");
    }
    return MHD_YES;
}

/* ---- receiving the body ------------------------------------------------- */

static enum MHD_Result take_body(struct conn_state *st, const char *data, size_t size)
{
    st->body_bytes += size;
    if (st->body_bytes > st->body_limit) {
        st->too_big = true;
        return st->body_bytes > BODY_DRAIN_MAX ? MHD_NO : MHD_YES;
    }
    if (st->bad_input)
        return MHD_YES;
    if (st->pp) {
        if (st->is_urlencoded)
            urlenc_scan_feed(&st->scan, data, size);
        if (MHD_post_process(st->pp, data, size) != MHD_YES && !st->bad_input)
            st->bad_input = N_("Le corps du formulaire est mal formé.");
    } else {
        buf_add(&st->r.body, data, size);
    }
    return MHD_YES;
}

/* ---- answering ------------------------------------------------------------ */

static void finish_body(struct conn_state *st)
{
    if (!st->pp)
        return;
    field_flush(st);
    if (MHD_destroy_post_processor(st->pp) != MHD_YES && !st->bad_input)
        st->bad_input = N_("Le corps du formulaire est incomplet (envoi interrompu).");
    st->pp = NULL;
    if ((st->scan.bad || st->scan.pending) && !st->bad_input)
        st->bad_input = N_("Le formulaire contient un encodage %XX invalide.");
}

static void answer(struct conn_state *st)
{
    struct req *r = &st->r;
    unsigned allowed = 0;

    if (st->too_big) {
        http_reply_err(r, ERR_TOOBIG);
        return;
    }
    if (st->bad_input) {
        const char *msg = i18n_text(r->lang, st->bad_input);
        if (st->bad_field)
            msg = arena_printf(r->a, "%s (%s)", msg, st->bad_field);
        http_reply_error(r, 400, "invalid", msg);
        return;
    }
    if (!r->route) {
        if (auth_identify(r) < 0) {
            http_reply_err(r, ERR_DB);
            return;
        }
        if (r->method)
            router_find(HTTP_GET, r->path, NULL, &r->params, &allowed);
        if (allowed) {
            http_set_header(r, "Allow", "GET, HEAD, POST");
            http_reply_error(r, 405, "method_not_allowed",
                             _(r, "Cette adresse n'accepte pas cette méthode."));
        } else {
            http_reply_error(r, 404, "not_found", _(r, "Cette page n'existe pas."));
        }
        return;
    }
    router_dispatch(r);
}

static enum MHD_Result finish_request(struct conn_state *st, struct MHD_Connection *c)
{
    struct req *r = &st->r;
    enum MHD_Result ret;

    finish_body(st);
    r->db = db_pool_acquire(st->srv->app->pool);
    answer(st);
    db_pool_release(st->srv->app->pool, r->db);
    r->db = NULL;
    ret = queue_response(st, c);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct conn_state *st = *con_cls;

    (void)cls;
    (void)url;
    (void)version;
    if (!st)
        return MHD_NO;
    if (!st->started)
        return begin_request(st, c, method);
    if (st->answered) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size) {
        enum MHD_Result ret = take_body(st, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return ret;
    }
    return finish_request(st, c);
}

/* ---- completion: access log and release ---------------------------------- */

static void log_access(struct conn_state *st, enum MHD_RequestTerminationCode toe)
{
    struct req *r = &st->r;
    struct buf line = BUF_INIT;
    char status[16], us[32], member[32];
    const char *path =
        r->route && (r->route->flags & ROUTE_SECRET_PATH) ? r->route->pattern : r->path;

    snprintf(status, sizeof(status), "%d", st->answered ? r->status : 0);
    snprintf(us, sizeof(us), "%lld", (long long)(time_mono_us() - st->start_us));
    snprintf(member, sizeof(member), "%lld", (long long)r->viewer.id);
    log_kv(&line, "method", r->method ? http_method_name(r->method) : "-");
    log_kv(&line, "path", path ? path : "-");
    log_kv(&line, "status", status);
    log_kv(&line, "us", us);
    log_kv(&line, "member", member);
    log_kv(&line, "ip", st->client_ip[0] ? st->client_ip : "-");
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
        log_kv(&line, "closed", "early");
    buf_addch(&line, '\n');
    fputs(line.s, stderr);
    buf_release(&line);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct http_server *srv = cls;
    struct conn_state *st = *con_cls;

    (void)c;
    if (!st)
        return;
    if (st->pp)
        MHD_destroy_post_processor(st->pp);
    if (st->started)
        log_access(st, toe);
    arena_clear(&st->arena);
    free(st);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->in_flight, 1);
}

static void on_library_error(void *cls, const char *fmt, va_list ap)
{
    char msg[512];

    (void)cls;
    vsnprintf(msg, sizeof(msg), fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    log_warn("http", "libmicrohttpd", "detail", msg, NULL);
}

/* ---- daemon ----------------------------------------------------------------- */

/* Parse "host:port", "[v6]:port" or ":port" into a socket address. */
static int parse_listen(const char *listen, struct sockaddr_storage *ss, bool *is_v6)
{
    char host[128];
    const char *colon = strrchr(listen, ':');
    size_t host_len;
    int64_t port;

    if (!colon || !str_to_i64(colon + 1, &port) || port < 0 || port > 65535)
        return ERR_INVALID;
    host_len = (size_t)(colon - listen);
    if (host_len >= sizeof(host))
        return ERR_INVALID;
    memcpy(host, listen, host_len);
    host[host_len] = '\0';
    memset(ss, 0, sizeof(*ss));
    if (host[0] == '[' && host_len > 2 && host[host_len - 1] == ']') {
        struct sockaddr_in6 *sa6 = (struct sockaddr_in6 *)ss;
        host[host_len - 1] = '\0';
        sa6->sin6_family = AF_INET6;
        sa6->sin6_port = htons((uint16_t)port);
        *is_v6 = true;
        return inet_pton(AF_INET6, host + 1, &sa6->sin6_addr) == 1 ? 0 : ERR_INVALID;
    }
    struct sockaddr_in *sa4 = (struct sockaddr_in *)ss;
    sa4->sin_family = AF_INET;
    sa4->sin_port = htons((uint16_t)port);
    *is_v6 = false;
    if (host_len == 0)
        return 0;
    return inet_pton(AF_INET, host, &sa4->sin_addr) == 1 ? 0 : ERR_INVALID;
}

/* Each connection is a descriptor: take the hard limit, as long-lived streams need many. */
static void raise_fd_limit(void)
{
    struct rlimit lim;

    if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
        lim.rlim_cur = lim.rlim_max;
        setrlimit(RLIMIT_NOFILE, &lim);
    }
}

int http_server_start(struct app *app, const struct http_options *opt, struct http_server **out)
{
    struct http_server *srv;
    struct sockaddr_storage ss;
    bool is_v6;
    unsigned flags =
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG | MHD_USE_ITC;

    if (parse_listen(opt->listen, &ss, &is_v6) < 0)
        return ERR_INVALID;
    raise_fd_limit();
    if (is_v6)
        flags |= MHD_USE_IPv6;
    srv = calloc(1, sizeof(*srv));
    if (!srv)
        return ERR_NOMEM;
    srv->app = app;
    srv->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_library_error, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)(opt->threads < 2 ? 2 : opt->threads), MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)HTTP_CONNECTIONS_MAX, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)HTTP_CONNECTIONS_MAX, /* behind a proxy all share one address */
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(opt->timeout_s ? opt->timeout_s : 30),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024), MHD_OPTION_LISTEN_BACKLOG_SIZE,
        (unsigned)2048, MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, srv, MHD_OPTION_END);
    if (!srv->daemon) {
        free(srv);
        return ERR_IO;
    }
    *out = srv;
    return 0;
}

void http_server_stop(struct http_server *srv)
{
    int64_t deadline = time_mono_us() + SHUTDOWN_WAIT_MS * 1000LL;
    struct timespec pause = {0, 20 * 1000 * 1000};

    MHD_quiesce_daemon(srv->daemon);
    while (atomic_load(&srv->in_flight) > 0 && time_mono_us() < deadline)
        nanosleep(&pause, NULL);
    MHD_stop_daemon(srv->daemon);
    free(srv);
}
