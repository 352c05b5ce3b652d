/*
 * req.c - reading a request and writing its response, for handlers.
 *
 * The response is built in struct req (status, headers, body) and handed
 * to libmicrohttpd by server.c once the handler returns.  Error replies
 * are HTML pages in the layout, or the JSON error envelope on API routes.
 */
#include "http_internal.h"
#include "../core/str.h"
#include "../web/html.h"
#include "../web/i18n.h"
#include "../web/layout.h"
#include "../app.h"

#include <jansson.h>

const char *const http_security_headers[][2] = {
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "same-origin"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {NULL, NULL},
};

const char *http_param(struct req *r, const char *name)
{
    const struct kv *kv = kv_list_find(&r->params, name);
    return kv ? kv->value : NULL;
}

int64_t http_param_id(struct req *r, const char *name)
{
    const char *v = http_param(r, name);
    int64_t id;

    if (!v || !(*v >= '1' && *v <= '9') || !str_to_i64(v, &id) || id <= 0)
        return 0;
    return id;
}

const char *http_query(struct req *r, const char *name)
{
    const struct kv *kv = kv_list_find(&r->query, name);
    return kv ? kv->value : NULL;
}

const char *http_form(struct req *r, const char *name)
{
    const struct kv *kv = kv_list_find(&r->form, name);
    return kv ? kv->value : NULL;
}

const struct kv *http_form_kv(struct req *r, const char *name)
{
    return kv_list_find(&r->form, name);
}

void http_set_header(struct req *r, const char *name, const char *value)
{
    kv_list_add(r->a, &r->out_headers, name, value, strlen(value));
}

void http_set_cookie(struct req *r, const char *name, const char *value, int64_t max_age_s)
{
    char *cookie = arena_printf(r->a, "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%lld%s", name,
                                max_age_s > 0 ? value : "", (long long)max_age_s,
                                r->app->cookie_secure ? "; Secure" : "");
    http_set_header(r, "Set-Cookie", cookie);
}

int http_reply_redirect(struct req *r, const char *path)
{
    /* Only local paths: "//host" would leave the site. */
    if (path[0] != '/' || path[1] == '/' || path[1] == '\\')
        path = "/";
    r->status = 303;
    http_set_header(r, "Location", path);
    buf_reset(&r->out);
    return 0;
}

int http_reply_json(struct req *r, int status, struct json_t *value)
{
    char *text = json_dumps(value, JSON_COMPACT | JSON_ENSURE_ASCII);

    json_decref(value);
    if (!text)
        BUG("json_dumps failed");
    buf_reset(&r->out);
    buf_addstr(&r->out, text);
    free(text);
    r->status = status;
    r->out_type = "application/json";
    return 0;
}

struct json_t *http_json_body(struct req *r)
{
    json_error_t error;
    json_t *value;

    if (!r->content_type || strcmp(r->content_type, "application/json") != 0) {
        http_reply_error(r, 415, "unsupported_media_type",
                         _(r, "Le corps doit être du JSON (Content-Type: application/json)."));
        return NULL;
    }
    value = json_loadb(r->body.s, r->body.len, JSON_REJECT_DUPLICATES, &error);
    if (!value || !json_is_object(value)) {
        json_decref(value);
        http_reply_error(r, 400, "invalid_json", _(r, "Le corps JSON est mal formé."));
        return NULL;
    }
    return value;
}

int http_reply_no_content(struct req *r)
{
    buf_reset(&r->out);
    r->status = 204;
    return 0;
}

const char *http_status_title(struct req *r, int status)
{
    switch (status) {
    case 400:
        return _(r, "Requête invalide");
    case 401:
        return _(r, "Identification requise");
    case 403:
        return _(r, "Accès refusé");
    case 404:
        return _(r, "Page introuvable");
    case 405:
        return _(r, "Méthode non autorisée");
    case 413:
        return _(r, "Requête trop volumineuse");
    case 415:
        return _(r, "Format non pris en charge");
    case 429:
        return _(r, "Trop de tentatives");
    case 503:
        return _(r, "Service momentanément indisponible");
    default:
        return _(r, "Erreur interne");
    }
}

int http_reply_error(struct req *r, int status, const char *code, const char *message)
{
    struct html *h;

    if (r->is_api) {
        json_t *err = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message);
        return http_reply_json(r, status, err);
    }
    buf_reset(&r->out);
    h = page_begin(r, &(struct page){.title = http_status_title(r, status)});
    html_fmt(h, "<section class=\"error-page\"><h1>%s</h1><p>%s</p>", http_status_title(r, status),
             message);
    html_fmt(h, "<p><a");
    html_href(h, "/");
    html_fmt(h, ">%s</a></p></section>", _(r, "Retour à l'accueil"));
    r->status = status;
    return page_end(r);
}

int http_reply_err(struct req *r, int rc)
{
    switch (rc) {
    case ERR_NOTFOUND:
        return http_reply_error(r, 404, "not_found", _(r, "Cette page n'existe pas."));
    case ERR_BUSY:
        http_set_header(r, "Retry-After", "2");
        return http_reply_error(r, 503, "busy",
                                _(r, "Ruche est très sollicitée. Réessayez dans un instant."));
    case ERR_TOOBIG:
        return http_reply_error(r, 413, "too_large", _(r, "La requête dépasse la taille permise."));
    case ERR_INVALID:
        return http_reply_error(r, 400, "invalid", _(r, "La requête est mal formée."));
    case ERR_DENIED:
        return http_reply_error(r, 403, "forbidden", _(r, "Vous n'avez pas accès à cette action."));
    default:
        return http_reply_error(r, 500, "internal",
                                _(r, "Une erreur est survenue de notre côté. Elle a été notée."));
    }
}
