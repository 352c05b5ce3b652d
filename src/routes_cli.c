/*
 * routes_cli.c - hidden `ruche debug-routes`: the route table as the
 * router holds it, one line per route, for tests that must cover every
 * route, including the ones added later (tests/e2e/42-groups-access-matrix).
 *
 * Each line is "METHODS PATTERN ACCESS FLAGS": METHODS joined by commas
 * (GET,HEAD), ACCESS the route's rule in lower case (public, anon_ok,
 * guest, member, animator, admin), FLAGS the route's flags joined by
 * commas (no_csrf, api, secret_path, password_exempt, no_session) or "-".
 * No instance is needed: the table is compiled in.
 *
 * State: none.
 */
#include "routes_cli.h"
#include "cli.h"
#include "http/http.h"

static const struct {
    unsigned bit;
    const char *name;
} method_names[] = {
    {HTTP_GET, "GET"}, {HTTP_HEAD, "HEAD"},   {HTTP_POST, "POST"},
    {HTTP_PUT, "PUT"}, {HTTP_PATCH, "PATCH"}, {HTTP_DELETE, "DELETE"},
};

static const char *const access_names[] = {
    [ACCESS_UNSET] = "unset", [ACCESS_PUBLIC] = "public", [ACCESS_ANON_OK] = "anon_ok",
    [ACCESS_GUEST] = "guest", [ACCESS_MEMBER] = "member", [ACCESS_ANIMATOR] = "animator",
    [ACCESS_ADMIN] = "admin",
};

static const struct {
    unsigned bit;
    const char *name;
} flag_names[] = {
    {ROUTE_NO_CSRF, "no_csrf"},         {ROUTE_API, "api"},
    {ROUTE_SECRET_PATH, "secret_path"}, {ROUTE_PASSWORD_EXEMPT, "password_exempt"},
    {ROUTE_NO_SESSION, "no_session"},
};

/* One line of the table on stdout. */
static void print_route(const struct route *rt, void *ctx)
{
    bool first = true;

    (void)ctx;
    for (size_t i = 0; i < ARRAY_SIZE(method_names); i++)
        if (rt->methods & method_names[i].bit) {
            printf("%s%s", first ? "" : ",", method_names[i].name);
            first = false;
        }
    printf(" %s %s ", rt->pattern,
           (unsigned)rt->access < ARRAY_SIZE(access_names) ? access_names[rt->access] : "unset");
    first = true;
    for (size_t i = 0; i < ARRAY_SIZE(flag_names); i++)
        if (rt->flags & flag_names[i].bit) {
            printf("%s%s", first ? "" : ",", flag_names[i].name);
            first = false;
        }
    printf("%s\n", first ? "-" : "");
}

int cmd_debug_routes(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("Usage : ruche debug-routes\nAffiche la table des routes : MÉTHODES MOTIF ACCÈS "
               "OPTIONS.\n");
        return 0;
    }
    if (argc > 1)
        return cli_usage_error("debug-routes", "debug-routes", "argument en trop");
    http_routes_each(print_route, NULL);
    return fflush(stdout) == 0 ? 0 : 1;
}
