/*
 * auth_api.c - API tokens: POST/DELETE /api/v1/session and GET /api/v1/me.
 *
 * An API token is a session of kind 'api', sent as "Authorization: Bearer".
 * It is subject to the same throttling as the sign-in form and dies with
 * the account's deactivation like any session.
 */
#include "auth.h"
#include "auth_handlers.h"
#include "../db/db.h"
#include "../web/i18n.h"

#include <jansson.h>
#include <sodium.h>

int auth_api_session_create(struct req *r)
{
    json_t *body = http_json_body(r);
    const char *email, *password;
    char *by_email, *by_ip, *norm;
    char token[AUTH_TOKEN_TEXT];
    struct account acc;
    int64_t wait_s;
    int rc;

    if (!body)
        return 0;
    email = json_string_value(json_object_get(body, "email"));
    password = json_string_value(json_object_get(body, "password"));
    if (!email || !password) {
        json_decref(body);
        return http_reply_error(r, 400, "invalid",
                                _(r, "Indiquez « email » et « password » (chaînes)."));
    }
    norm = auth_email_normalise(r->a, email);
    by_email = arena_printf(r->a, "email:%s", norm ? norm : email);
    by_ip = arena_printf(r->a, "ip:%s", r->client_ip);
    password = arena_strdup(r->a, password);
    json_decref(body);

    wait_s = auth_throttle_wait(r->db, by_email, AUTH_THROTTLE_PER_ACCOUNT);
    if (wait_s == 0)
        wait_s = auth_throttle_wait(r->db, by_ip, AUTH_THROTTLE_PER_ADDRESS);
    if (wait_s > 0) {
        http_set_header(r, "Retry-After", arena_printf(r->a, "%lld", (long long)wait_s));
        return http_reply_error(r, 429, "throttled",
                                _(r, "Trop de tentatives de connexion. Réessayez plus tard."));
    }
    rc = auth_account_check_password(r->db, r->a, norm ? norm : "", password, &acc);
    if (rc == ERR_DENIED) {
        auth_throttle_fail(r->db, by_email);
        auth_throttle_fail(r->db, by_ip);
        return http_reply_error(r, 401, "invalid_credentials",
                                _(r, "Adresse e-mail ou mot de passe incorrect."));
    }
    if (rc < 0)
        return http_reply_err(r, rc);
    auth_throttle_clear(r->db, by_email);
    if ((rc = auth_session_create(r->db, acc.id, true, token)) < 0)
        return http_reply_err(r, rc);
    rc = http_reply_json(r, 201,
                         json_pack("{s:s,s:I}", "token", token, "expires_ms",
                                   (json_int_t)(time_now_ms() + AUTH_SESSION_TTL_MS)));
    sodium_memzero(token, sizeof(token));
    return rc;
}

int auth_api_session_delete(struct req *r)
{
    int rc = auth_session_delete(r->db, r->viewer.session_id);

    if (rc < 0)
        return http_reply_err(r, rc);
    return http_reply_no_content(r);
}

int auth_api_me(struct req *r)
{
    return http_reply_json(r, 200,
                           json_pack("{s:I,s:s,s:s,s:s,s:s,s:b}", "id", (json_int_t)r->viewer.id,
                                     "email", r->viewer.email, "name", r->viewer.name, "role",
                                     auth_role_name(r->viewer.role), "lang", r->viewer.lang,
                                     "must_change_password", r->viewer.must_change_password));
}
