/*
 * static.c - embedded static assets and the health check.
 *
 * Assets (static/ in the source tree) are compiled into the binary; each
 * is served with its ETag and a day of caching, and answers 304 to a
 * matching If-None-Match.
 */
#include "http_internal.h"
#include "../core/builtin.h"
#include "../db/db.h"

#include <jansson.h>

static const struct {
    const char *ext;
    const char *type;
} content_types[] = {
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
};

static const char *content_type_of(const char *name)
{
    size_t n = strlen(name);

    for (size_t i = 0; i < ARRAY_SIZE(content_types); i++) {
        size_t e = strlen(content_types[i].ext);
        if (n > e && strcmp(name + n - e, content_types[i].ext) == 0)
            return content_types[i].type;
    }
    return "application/octet-stream";
}

int static_page_file(struct req *r)
{
    const char *name = http_param(r, "name");
    const char *path = arena_printf(r->a, "static/%s", name);
    const struct builtin_file *f = builtin_find(path);
    const char *inm;

    if (!f || strstr(name, ".."))
        return http_reply_err(r, ERR_NOTFOUND);
    http_set_header(r, "ETag", f->etag);
    http_set_header(r, "Cache-Control", "public, max-age=86400");
    inm = http_header(r, "If-None-Match");
    if (inm && strcmp(inm, f->etag) == 0) {
        r->status = 304;
        return 0;
    }
    buf_add(&r->out, f->data, f->len);
    r->out_type = content_type_of(name);
    r->status = 200;
    return 0;
}

/* GET /healthz: the process answers and its database too. */
static int core_api_health(struct req *r)
{
    int64_t one = 0;
    int rc = db_get_i64(r->db, &one, "SELECT 1");

    if (rc < 0) {
        http_set_header(r, "Retry-After", "5");
        return http_reply_error(r, 503, "unhealthy", "database unavailable");
    }
    return http_reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

const struct route core_routes[] = {
    {HTTP_GET, "/healthz", core_api_health, ACCESS_PUBLIC,
     ROUTE_API | ROUTE_PASSWORD_EXEMPT | ROUTE_NO_SESSION, 0},
    {HTTP_GET, "/static/{name}", static_page_file, ACCESS_PUBLIC,
     ROUTE_PASSWORD_EXEMPT | ROUTE_NO_SESSION, 0},
    {0, NULL, NULL, 0, 0, 0},
};
