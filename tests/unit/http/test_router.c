/*
 * test_router.c - route matching (http/router.c) and the route tables of every feature.
 *
 * router_pattern_match(): exact paths, trailing slashes, parameters at the end
 * and in the middle, empty segments, the parameter list left as it was on a
 * failed match, and malformed patterns as BUG()s (forked child, SIGABRT).
 * router_find(): method selection, HEAD served by GET routes, the Allow set
 * for a 405.  The tables (core_routes, auth_routes, home_routes,
 * people_routes): each route has a handler, an access rule, a well-formed
 * pattern and known methods; no method+pattern is declared twice; and every
 * route is reachable, i.e. router_find() returns it for a path built from its
 * own pattern (an earlier "/x/{id}" would otherwise shadow a later "/x/new").
 *
 * Cases are tables with ids, so a failure names its case.
 */
#include "core/arena.h"
#include "http/http_internal.h"

#include <setjmp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define ALL_METHODS (HTTP_GET | HTTP_HEAD | HTTP_POST | HTTP_PUT | HTTP_PATCH | HTTP_DELETE)

static const struct {
    const char *name;
    const struct route *table;
} tables[] = {
    {"core_routes", core_routes},
    {"auth_routes", auth_routes},
    {"home_routes", home_routes},
    {"people_routes", people_routes},
};

/* ---- router_pattern_match --------------------------------------------------------------- */

struct match_case {
    const char *id;
    const char *pattern;
    const char *path;
    bool match;
    const char *params[2][2]; /* expected name/value pairs, NULL name ends */
};

static void test_pattern_match(void **state)
{
    static const struct match_case cases[] = {
        {"exact", "/login", "/login", true, {{NULL}}},
        {"root", "/", "/", true, {{NULL}}},
        {"root-vs-empty", "/", "", false, {{NULL}}},
        {"root-vs-double-slash", "/", "//", false, {{NULL}}},
        {"exact-trailing-slash-in-path", "/login", "/login/", false, {{NULL}}},
        {"exact-trailing-slash-in-pattern", "/login/", "/login", false, {{NULL}}},
        {"exact-longer-path", "/people", "/peoplex", false, {{NULL}}},
        {"exact-shorter-path", "/people", "/peo", false, {{NULL}}},
        {"exact-case-sensitive", "/login", "/Login", false, {{NULL}}},
        {"exact-deeper", "/logout/all", "/logout/all", true, {{NULL}}},
        {"exact-deeper-prefix", "/logout/all", "/logout", false, {{NULL}}},
        {"param-end", "/people/{id}", "/people/42", true, {{"id", "42"}}},
        {"param-end-long",
         "/people/{id}",
         "/people/123456789012345678901234567890",
         true,
         {{"id", "123456789012345678901234567890"}}},
        {"param-end-text", "/static/{name}", "/static/app.css", true, {{"name", "app.css"}}},
        {"param-end-dotdot", "/static/{name}", "/static/..", true, {{"name", ".."}}},
        {"param-end-traversal", "/static/{name}", "/static/../etc/passwd", false, {{NULL}}},
        {"param-end-empty", "/people/{id}", "/people/", false, {{NULL}}},
        {"param-end-missing", "/people/{id}", "/people", false, {{NULL}}},
        {"param-end-double-slash", "/people/{id}", "/people//", false, {{NULL}}},
        {"param-end-trailing-slash", "/people/{id}", "/people/42/", false, {{NULL}}},
        {"param-end-extra-segment", "/people/{id}", "/people/42/x", false, {{NULL}}},
        {"param-end-wrong-prefix", "/people/{id}", "/peoples/42", false, {{NULL}}},
        {"param-middle", "/a/{x}/b", "/a/1/b", true, {{"x", "1"}}},
        {"param-middle-empty", "/a/{x}/b", "/a//b", false, {{NULL}}},
        {"param-middle-wrong-tail", "/a/{x}/b", "/a/1/c", false, {{NULL}}},
        {"param-middle-no-tail", "/a/{x}/b", "/a/1", false, {{NULL}}},
        {"param-middle-no-tail-slash", "/a/{x}/b", "/a/1/", false, {{NULL}}},
        {"param-middle-extra", "/a/{x}/b", "/a/1/b/", false, {{NULL}}},
        {"param-middle-two-segments", "/a/{x}/b", "/a/1/2/b", false, {{NULL}}},
        {"two-params", "/a/{x}/{y}", "/a/1/two", true, {{"x", "1"}, {"y", "two"}}},
        {"two-params-second-empty", "/a/{x}/{y}", "/a/1/", false, {{NULL}}},
        {"param-name-31-chars",
         "/a/{abcdefghijklmnopqrstuvwxyz01234}",
         "/a/1",
         true,
         {{"abcdefghijklmnopqrstuvwxyz01234", "1"}}},
        {"token", "/login/link/{token}", "/login/link/Ab-_9", true, {{"token", "Ab-_9"}}},
        {"param-utf8", "/people/{id}", "/people/\xc3\xa9", true, {{"id", "\xc3\xa9"}}},
    };
    struct arena a;

    (void)state;
    arena_init(&a);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct match_case *c = &cases[i];
        struct kv_list params = {0};
        size_t want_len = 0;
        bool got = router_pattern_match(c->pattern, c->path, &a, &params);

        if (got != c->match)
            fail_msg("case %s: got match=%d, want %d", c->id, got, c->match);
        while (want_len < 2 && c->params[want_len][0])
            want_len++;
        if (params.len != want_len)
            fail_msg("case %s: %zu parameters, want %zu", c->id, params.len, want_len);
        for (size_t p = 0; p < want_len; p++) {
            const struct kv *kv = &params.items[p];
            if (strcmp(kv->name, c->params[p][0]) != 0 || strcmp(kv->value, c->params[p][1]) ||
                kv->value_len != strlen(c->params[p][1]))
                fail_msg("case %s: parameter %zu is %s=%s, want %s=%s", c->id, p, kv->name,
                         kv->value, c->params[p][0], c->params[p][1]);
        }
        /* Without an arena the answer is the same and nothing is captured. */
        if (router_pattern_match(c->pattern, c->path, NULL, &params) != c->match)
            fail_msg("case %s: different answer without an arena", c->id);
        if (params.len != want_len)
            fail_msg("case %s: parameters captured without an arena", c->id);
    }
    arena_clear(&a);
}

/* Parameters are appended; a failed match, even after a capture, leaves the list as it was. */
static void test_pattern_params_kept(void **state)
{
    struct arena a;
    struct kv_list params = {0};

    (void)state;
    arena_init(&a);
    kv_list_add(&a, &params, "before", "0", 1);
    assert_false(router_pattern_match("/a/{x}/b", "/a/1/c", &a, &params));
    assert_int_equal(params.len, 1);
    assert_false(router_pattern_match("/a/{x}/{y}/c", "/a/1/2/d", &a, &params));
    assert_int_equal(params.len, 1);
    assert_true(router_pattern_match("/a/{x}/b", "/a/7/b", &a, &params));
    assert_int_equal(params.len, 2);
    assert_string_equal(params.items[0].name, "before");
    assert_string_equal(params.items[1].name, "x");
    assert_string_equal(params.items[1].value, "7");
    arena_clear(&a);
}

/* ---- malformed patterns are bugs of the program ------------------------------------------ */

static bool dies_of_bug(const char *pattern, const char *path)
{
    pid_t pid;
    int status = 0;

    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        static const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGSYS, SIGABRT};
        struct arena a;
        struct kv_list params = {0};

        /* cmocka traps these signals; a crash must not pass for a BUG(). */
        for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
            signal(sigs[i], SIG_DFL);
        if (!freopen("/dev/null", "w", stderr))
            _exit(3);
        arena_init(&a);
        router_pattern_match(pattern, path, &a, &params);
        _exit(0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void test_pattern_bugs(void **state)
{
    static const struct {
        const char *id;
        const char *pattern;
        const char *path;
    } cases[] = {
        {"unclosed-brace", "/a/{x", "/a/1"},
        {"empty-name", "/a/{}", "/a/1"},
        {"name-32-chars", "/a/{abcdefghijklmnopqrstuvwxyz012345}", "/a/1"},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        if (!dies_of_bug(cases[i].pattern, cases[i].path))
            fail_msg("case %s: expected BUG() (SIGABRT)", cases[i].id);
}

/* ---- router_find ------------------------------------------------------------------------- */

static void test_find(void **state)
{
    static const struct {
        const char *id;
        enum http_method method;
        const char *path;
        const char *want_pattern; /* NULL: no route */
        unsigned want_allowed;
        const char *param, *value;
    } cases[] = {
        {"login-get", HTTP_GET, "/login", "/login", HTTP_GET, NULL, NULL},
        {"login-post", HTTP_POST, "/login", "/login", HTTP_GET | HTTP_POST, NULL, NULL},
        {"login-put-405", HTTP_PUT, "/login", NULL, HTTP_GET | HTTP_POST, NULL, NULL},
        {"login-delete-405", HTTP_DELETE, "/login", NULL, HTTP_GET | HTTP_POST, NULL, NULL},
        {"login-head-is-get", HTTP_HEAD, "/login", "/login", HTTP_GET, NULL, NULL},
        {"login-trailing-slash-404", HTTP_GET, "/login/", NULL, 0, NULL, NULL},
        {"logout-get-405", HTTP_GET, "/logout", NULL, HTTP_POST, NULL, NULL},
        {"logout-head-405", HTTP_HEAD, "/logout", NULL, HTTP_POST, NULL, NULL},
        {"home", HTTP_GET, "/", "/", HTTP_GET, NULL, NULL},
        {"people", HTTP_GET, "/people", "/people", HTTP_GET, NULL, NULL},
        {"person", HTTP_GET, "/people/42", "/people/{id}", HTTP_GET, "id", "42"},
        {"person-head", HTTP_HEAD, "/people/42", "/people/{id}", HTTP_GET, "id", "42"},
        {"person-post-405", HTTP_POST, "/people/42", NULL, HTTP_GET, NULL, NULL},
        {"person-empty-404", HTTP_GET, "/people/", NULL, 0, NULL, NULL},
        {"person-deeper-404", HTTP_GET, "/people/42/x", NULL, 0, NULL, NULL},
        {"link-token", HTTP_GET, "/login/link/abc", "/login/link/{token}", HTTP_GET, "token",
         "abc"},
        {"session-delete", HTTP_DELETE, "/api/v1/session", "/api/v1/session",
         HTTP_POST | HTTP_DELETE, NULL, NULL},
        {"session-get-405", HTTP_GET, "/api/v1/session", NULL, HTTP_POST | HTTP_DELETE, NULL, NULL},
        {"healthz", HTTP_GET, "/healthz", "/healthz", HTTP_GET, NULL, NULL},
        {"static", HTTP_GET, "/static/app.css", "/static/{name}", HTTP_GET, "name", "app.css"},
        {"nowhere-404", HTTP_GET, "/nowhere", NULL, 0, NULL, NULL},
        {"empty-path-404", HTTP_GET, "", NULL, 0, NULL, NULL},
        {"unknown-method-0", 0, "/login", NULL, HTTP_GET | HTTP_POST, NULL, NULL},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct arena a;
        struct kv_list params = {0};
        unsigned allowed = 12345;
        const struct route *rt;

        arena_init(&a);
        rt = router_find(cases[i].method, cases[i].path, &a, &params, &allowed);
        if (!cases[i].want_pattern && rt)
            fail_msg("case %s: got route %s, want none", cases[i].id, rt->pattern);
        if (cases[i].want_pattern) {
            enum http_method want = cases[i].method == HTTP_HEAD ? HTTP_GET : cases[i].method;
            if (!rt)
                fail_msg("case %s: no route, want %s", cases[i].id, cases[i].want_pattern);
            if (strcmp(rt->pattern, cases[i].want_pattern) != 0 || !(rt->methods & want))
                fail_msg("case %s: got %s (methods %u)", cases[i].id, rt->pattern, rt->methods);
        }
        /* allowed is checked only when no route answers (it feeds the 405's Allow). */
        if (!rt && allowed != cases[i].want_allowed)
            fail_msg("case %s: allowed %#x, want %#x", cases[i].id, allowed, cases[i].want_allowed);
        if (cases[i].param) {
            if (params.len != 1 || strcmp(params.items[0].name, cases[i].param) != 0 ||
                strcmp(params.items[0].value, cases[i].value) != 0)
                fail_msg("case %s: parameter %s not captured", cases[i].id, cases[i].param);
        } else if (params.len != 0) {
            fail_msg("case %s: %zu unexpected parameters", cases[i].id, params.len);
        }
        arena_clear(&a);
    }
}

/* ---- the route tables -------------------------------------------------------------------- */

/* True when pattern is "/" or segments "/lit" and "/{name}" with a 1-31 char name. */
static bool pattern_well_formed(const char *p)
{
    if (p[0] != '/')
        return false;
    if (strcmp(p, "/") == 0)
        return true;
    while (*p) {
        const char *seg;
        size_t len;

        if (*p != '/')
            return false;
        seg = ++p;
        while (*p && *p != '/')
            p++;
        len = (size_t)(p - seg);
        if (len == 0)
            return false; /* empty segment or trailing slash */
        if (seg[0] == '{') {
            if (seg[len - 1] != '}' || len < 3 || len - 2 > 31)
                return false;
            if (memchr(seg + 1, '{', len - 2) || memchr(seg + 1, '}', len - 2))
                return false;
        } else if (memchr(seg, '{', len) || memchr(seg, '}', len)) {
            return false;
        }
    }
    return true;
}

static void test_tables_well_formed(void **state)
{
    size_t total = 0;

    (void)state;
    for (size_t t = 0; t < ARRAY_SIZE(tables); t++) {
        for (const struct route *rt = tables[t].table; rt->pattern; rt++) {
            const char *where = tables[t].name;

            total++;
            if (!rt->handler)
                fail_msg("%s %s: no handler", where, rt->pattern);
            if (rt->access == ACCESS_UNSET || rt->access > ACCESS_ADMIN)
                fail_msg("%s %s: access rule %d", where, rt->pattern, (int)rt->access);
            if (rt->methods == 0 || (rt->methods & ~(unsigned)ALL_METHODS))
                fail_msg("%s %s: methods %#x", where, rt->pattern, rt->methods);
            if (rt->pattern[0] != '/')
                fail_msg("%s %s: pattern does not start with '/'", where, rt->pattern);
            if (!pattern_well_formed(rt->pattern))
                fail_msg("%s %s: malformed pattern", where, rt->pattern);
        }
    }
    assert_true(total > 0);
}

static void test_tables_no_duplicates(void **state)
{
    (void)state;
    for (size_t t = 0; t < ARRAY_SIZE(tables); t++) {
        for (const struct route *rt = tables[t].table; rt->pattern; rt++) {
            for (size_t u = t; u < ARRAY_SIZE(tables); u++) {
                const struct route *other = u == t ? rt + 1 : tables[u].table;

                for (; other->pattern; other++) {
                    if (strcmp(rt->pattern, other->pattern) == 0 && (rt->methods & other->methods))
                        fail_msg("%s and %s both declare %s for methods %#x", tables[t].name,
                                 tables[u].name, rt->pattern, rt->methods & other->methods);
                }
            }
        }
    }
}

/* A path the pattern matches: each {param} becomes "1". */
static void sample_path(const char *pattern, char *out, size_t size)
{
    size_t n = 0;

    for (const char *p = pattern; *p && n + 2 < size; p++) {
        if (*p == '{') {
            out[n++] = '1';
            p = strchr(p, '}');
            if (!p)
                break;
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
}

static void test_tables_every_route_reachable(void **state)
{
    static const enum http_method methods[] = {HTTP_GET, HTTP_HEAD,  HTTP_POST,
                                               HTTP_PUT, HTTP_PATCH, HTTP_DELETE};

    (void)state;
    for (size_t t = 0; t < ARRAY_SIZE(tables); t++) {
        for (const struct route *rt = tables[t].table; rt->pattern; rt++) {
            char path[512];

            sample_path(rt->pattern, path, sizeof(path));
            for (size_t m = 0; m < ARRAY_SIZE(methods); m++) {
                struct arena a;
                struct kv_list params = {0};
                unsigned allowed;
                const struct route *found;

                if (!(rt->methods & methods[m]))
                    continue;
                arena_init(&a);
                found = router_find(methods[m], path, &a, &params, &allowed);
                if (found != rt)
                    fail_msg("%s: %s %s reaches %s instead of its own route", tables[t].name,
                             http_method_name(methods[m]), path,
                             found ? found->pattern : "nothing");
                arena_clear(&a);
            }
        }
    }
}

/* ---- method names ------------------------------------------------------------------------ */

static void test_method_names(void **state)
{
    static const struct {
        const char *name;
        enum http_method m;
    } cases[] = {
        {"GET", HTTP_GET}, {"HEAD", HTTP_HEAD},   {"POST", HTTP_POST},
        {"PUT", HTTP_PUT}, {"PATCH", HTTP_PATCH}, {"DELETE", HTTP_DELETE},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        assert_int_equal(http_method_parse(cases[i].name), cases[i].m);
        assert_string_equal(http_method_name(cases[i].m), cases[i].name);
    }
    assert_int_equal(http_method_parse("get"), 0);
    assert_int_equal(http_method_parse("OPTIONS"), 0);
    assert_int_equal(http_method_parse(""), 0);
    assert_string_equal(http_method_name(0), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pattern_match),
        cmocka_unit_test(test_pattern_params_kept),
        cmocka_unit_test(test_pattern_bugs),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_tables_well_formed),
        cmocka_unit_test(test_tables_no_duplicates),
        cmocka_unit_test(test_tables_every_route_reachable),
        cmocka_unit_test(test_method_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
