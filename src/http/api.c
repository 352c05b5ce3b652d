/*
 * api.c - request helpers shared by the JSON API handlers (api.h).
 */
#include "api.h"
#include "../core/str.h"
#include "../web/i18n.h"

#include <jansson.h>

static const char *code_of(int status)
{
    switch (status) {
    case 404:
        return "not_found";
    case 409:
        return "conflict";
    case 413:
        return "too_large";
    default:
        return "invalid";
    }
}

int api_reply_invalid(struct req *r, int status, const char *field, const char *message)
{
    return http_reply_json(r, status,
                           json_pack("{s:{s:s,s:s,s:s}}", "error", "code", code_of(status),
                                     "message", message, "field", field));
}

json_t *api_body_object(struct req *r, const char *const *allowed)
{
    json_t *body = http_json_body(r), *value;
    const char *key;

    if (!body)
        return NULL;
    if (!json_is_object(body)) {
        json_decref(body);
        api_reply_invalid(r, 400, "body", _(r, "Un objet JSON est attendu."));
        return NULL;
    }
    json_object_foreach(body, key, value)
    {
        bool known = false;
        for (size_t i = 0; allowed[i] && !known; i++)
            known = strcmp(key, allowed[i]) == 0;
        if (!known) {
            api_reply_invalid(r, 400, arena_strdup(r->a, key), _(r, "Ce champ est inconnu."));
            json_decref(body);
            return NULL;
        }
    }
    return body;
}

bool api_text(struct req *r, json_t *body, const char *key, const char **out)
{
    json_t *v = json_object_get(body, key);

    *out = NULL;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) {
        api_reply_invalid(r, 400, key, _(r, "Ce champ doit être un texte."));
        return false;
    }
    *out = arena_strdup(r->a, json_string_value(v));
    return true;
}

bool api_flag(struct req *r, json_t *body, const char *key, bool *present, bool *out)
{
    json_t *v = json_object_get(body, key);

    *present = v != NULL;
    if (!v)
        return true;
    if (!json_is_boolean(v)) {
        api_reply_invalid(r, 400, key, _(r, "Ce champ doit valoir true ou false."));
        return false;
    }
    *out = json_is_true(v);
    return true;
}

bool api_id(struct req *r, json_t *body, const char *key, int64_t *out)
{
    json_t *v = json_object_get(body, key);

    *out = 0;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_integer(v) || json_integer_value(v) <= 0) {
        api_reply_invalid(r, 400, key, _(r, "Identifiant invalide."));
        return false;
    }
    *out = json_integer_value(v);
    return true;
}

bool api_cursor(struct req *r, int64_t *out)
{
    const char *s = http_query(r, "cursor");

    *out = 0;
    if (!s || !*s || (str_to_i64(s, out) && *out > 0))
        return true;
    api_reply_invalid(r, 400, "cursor", _(r, "Le curseur est invalide."));
    return false;
}

bool api_limit(struct req *r, size_t def, size_t max, size_t *out)
{
    const char *s = http_query(r, "limit");
    int64_t n = 0;

    *out = def;
    if (!s || !*s)
        return true;
    if (!str_to_i64(s, &n) || n < 1 || (size_t)n > max) {
        api_reply_invalid(r, 400, "limit",
                          arena_printf(r->a, _(r, "La limite va de 1 à %zu."), max));
        return false;
    }
    *out = (size_t)n;
    return true;
}

json_t *api_next(struct req *r, int64_t next)
{
    return next ? json_string(arena_printf(r->a, "%lld", (long long)next)) : json_null();
}
