/*
 * router.c - the route table and what is enforced before a handler runs.
 *
 * Every feature exports a table of routes (its whole URL surface, see each
 * src/<feature>/routes.c).  For a matched route the router identifies the
 * viewer, then enforces in order: the access rule (anonymous visitors are
 * sent to /login, a role too weak gets 404 like something that does not
 * exist), a pending password change, and the CSRF rule of state-changing
 * methods.  Only then does the handler run.
 */
#include "http_internal.h"
#include "../auth/auth.h"
#include "../db/db.h"
#include "../feed/feed.h"
#include "../groups/groups.h"
#include "../notify/notify.h"
#include "../web/i18n.h"

static const struct route *const route_tables[] = {
    core_routes,        auth_routes,        home_routes,   live_routes,       people_routes,
    feed_routes,        feed_api_routes,    notify_routes, feed_atom_routes,  feed_preview_routes,
    feed_attach_routes, discussions_routes, groups_routes, groups_api_routes,
};

static const struct {
    enum http_method method;
    const char *name;
} method_names[] = {
    {HTTP_GET, "GET"}, {HTTP_HEAD, "HEAD"},   {HTTP_POST, "POST"},
    {HTTP_PUT, "PUT"}, {HTTP_PATCH, "PATCH"}, {HTTP_DELETE, "DELETE"},
};

const char *http_method_name(enum http_method m)
{
    for (size_t i = 0; i < ARRAY_SIZE(method_names); i++)
        if (method_names[i].method == m)
            return method_names[i].name;
    return "?";
}

enum http_method http_method_parse(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(method_names); i++)
        if (strcmp(method_names[i].name, name) == 0)
            return method_names[i].method;
    return 0;
}

bool router_pattern_match(const char *pattern, const char *path, struct arena *a,
                          struct kv_list *params)
{
    size_t first_param = params->len;

    while (*pattern && *path) {
        if (*pattern == '{') {
            const char *close = strchr(pattern, '}');
            const char *seg_end = strchr(path, '/');
            size_t seg_len = seg_end ? (size_t)(seg_end - path) : strlen(path);
            char name[32];
            size_t name_len;

            if (!close)
                BUG("route pattern without closing brace: %s", pattern);
            name_len = (size_t)(close - pattern - 1);
            if (name_len == 0 || name_len >= sizeof(name))
                BUG("bad parameter name in route pattern %s", pattern);
            if (seg_len == 0)
                goto no_match;
            memcpy(name, pattern + 1, name_len);
            name[name_len] = '\0';
            if (a)
                kv_list_add(a, params, name, path, seg_len);
            pattern = close + 1;
            path += seg_len;
            continue;
        }
        if (*pattern != *path)
            goto no_match;
        pattern++;
        path++;
    }
    if (*pattern == '\0' && *path == '\0')
        return true;
no_match:
    params->len = first_param;
    return false;
}

const struct route *router_find(enum http_method method, const char *path, struct arena *a,
                                struct kv_list *params, unsigned *allowed)
{
    enum http_method want = method == HTTP_HEAD ? HTTP_GET : method;

    *allowed = 0;
    for (size_t t = 0; t < ARRAY_SIZE(route_tables); t++) {
        for (const struct route *rt = route_tables[t]; rt->pattern; rt++) {
            if (!router_pattern_match(rt->pattern, path, NULL, params))
                continue;
            *allowed |= rt->methods;
            if (rt->methods & want) {
                router_pattern_match(rt->pattern, path, a, params);
                return rt;
            }
        }
    }
    return NULL;
}

static bool is_state_changing(enum http_method m)
{
    return m == HTTP_POST || m == HTTP_PUT || m == HTTP_PATCH || m == HTTP_DELETE;
}

static enum role required_role(enum route_access access)
{
    switch (access) {
    case ACCESS_UNSET:
        break;
    case ACCESS_PUBLIC:
    case ACCESS_ANON_OK:
        return ROLE_NONE;
    case ACCESS_GUEST:
        return ROLE_GUEST;
    case ACCESS_MEMBER:
        return ROLE_MEMBER;
    case ACCESS_ANIMATOR:
        return ROLE_ANIMATOR;
    case ACCESS_ADMIN:
        return ROLE_ADMIN;
    }
    return ROLE_ADMIN;
}

/* Anonymous visitor on a members-only route: sign in first (401 on the API). */
static int reply_sign_in_first(struct req *r)
{
    if (r->is_api)
        return http_reply_error(r, 401, "unauthenticated",
                                _(r, "Identifiez-vous pour utiliser l'API."));
    return http_reply_redirect(r, "/login");
}

void http_routes_each(http_route_visit_fn *fn, void *ctx)
{
    for (size_t t = 0; t < ARRAY_SIZE(route_tables); t++)
        for (const struct route *rt = route_tables[t]; rt->pattern; rt++)
            fn(rt, ctx);
}

bool http_route_reachable(struct req *r, const char *path)
{
    struct kv_list params = {0};
    unsigned allowed;
    const struct route *rt = router_find(HTTP_GET, path, NULL, &params, &allowed);

    return rt && r->viewer.role >= required_role(rt->access);
}

static int enforce_and_run(struct req *r)
{
    const struct route *rt = r->route;
    int rc;

    if (rt->access == ACCESS_UNSET)
        BUG("route %s has no access rule", rt->pattern);
    if (!(rt->flags & ROUTE_NO_SESSION) && (rc = auth_identify(r)) < 0)
        return http_reply_err(r, rc);
    if (r->viewer.id == 0 && required_role(rt->access) > ROLE_NONE)
        return reply_sign_in_first(r);
    if (r->viewer.role < required_role(rt->access))
        return http_reply_error(r, 404, "not_found", _(r, "Cette page n'existe pas."));
    if (r->viewer.must_change_password && !(rt->flags & ROUTE_PASSWORD_EXEMPT)) {
        if (r->is_api)
            return http_reply_error(r, 403, "password_change_required",
                                    _(r, "Choisissez d'abord un nouveau mot de passe."));
        return http_reply_redirect(r, "/account/password");
    }
    if (is_state_changing(r->method) && !(rt->flags & ROUTE_NO_CSRF) && !r->viewer.via_bearer &&
        !auth_csrf_ok(r))
        return http_reply_error(r, 403, "csrf",
                                _(r, "Le formulaire a expiré ou ne vient pas de Ruche. "
                                     "Rechargez la page et réessayez."));
    return rt->handler(r);
}

void router_dispatch(struct req *r)
{
    bool read_only = r->method == HTTP_GET || r->method == HTTP_HEAD;

    /* GET handlers run read-only: a forgotten CSRF check on a GET can change nothing. */
    if (read_only)
        db_set_read_only(r->db, true);
    enforce_and_run(r);
}
