/*
 * session.c - sessions, API tokens, one-time sign-in links, and the
 * router's identification of the viewer.
 *
 * Browser sessions and API tokens share the session table (kind 'browser'
 * or 'api').  Every look-up joins the account and requires it to be
 * active, so deactivating a member ends their sessions at once.  The
 * table is shared by every node, so any node can serve any member.
 */
#include "auth.h"
#include "../core/str.h"
#include "../core/arena.h"
#include "../core/buf.h"
#include "../db/db.h"
#include "../live/live.h"
#include "../web/i18n.h"
#include "../app.h"

int auth_session_create(struct db *db, int64_t account_id, bool api,
                        char token_out[AUTH_TOKEN_TEXT])
{
    unsigned char hash[32];
    int64_t now = time_now_ms();
    int rc;

    auth_token_new(token_out);
    auth_token_hash(token_out, hash);
    rc = db_exec(db,
                 "INSERT INTO session(token_hash, account_id, kind, created_ms, expires_ms)"
                 " VALUES (?, ?, ?, ?, ?)",
                 DB_BLOB(hash, sizeof(hash)), DB_I64(account_id), DB_TEXT(api ? "api" : "browser"),
                 DB_I64(now), DB_I64(now + AUTH_SESSION_TTL_MS));
    if (rc == 0)
        rc = db_exec(db, "UPDATE account SET last_login_ms = ? WHERE id = ?", DB_I64(now),
                     DB_I64(account_id));
    return rc;
}

int auth_session_lookup(struct db *db, struct arena *a, const char *token, struct viewer *v)
{
    unsigned char hash[32];
    struct stmt *q;
    int rc = ERR_NOTFOUND;

    if (!token || strlen(token) != AUTH_TOKEN_TEXT - 1)
        return ERR_NOTFOUND;
    auth_token_hash(token, hash);
    q = db_query(db,
                 "SELECT s.id, s.kind, a.id, a.role, a.name, a.email, a.lang,"
                 /*      0     1       2     3       4       5        6 */
                 "       a.must_change_password"
                 /*      7 */
                 "  FROM session s JOIN account a ON a.id = s.account_id"
                 " WHERE s.token_hash = ? AND s.expires_ms > ? AND a.status = 'active'",
                 DB_BLOB(hash, sizeof(hash)), DB_I64(time_now_ms()));
    if (db_row(q)) {
        v->session_id = db_i64(q, 0);
        v->via_bearer = strcmp(db_text(q, 1), "api") == 0;
        v->id = db_i64(q, 2);
        v->role = auth_role_parse(db_text(q, 3));
        v->name = arena_strdup(a, db_text(q, 4));
        v->email = arena_strdup(a, db_text(q, 5));
        v->lang = arena_strdup(a, db_text(q, 6));
        v->must_change_password = db_i64(q, 7) != 0;
        rc = 0;
    }
    int end = db_end(q);
    return end < 0 ? end : rc;
}

bool auth_session_active(struct db *db, int64_t session_id, int64_t account_id)
{
    int64_t one = 0;

    return db_get_i64(db, &one,
                      "SELECT 1 FROM session s JOIN account a ON a.id = s.account_id"
                      " WHERE s.id = ? AND s.account_id = ? AND s.expires_ms > ?"
                      "   AND a.status = 'active'",
                      DB_I64(session_id), DB_I64(account_id), DB_I64(time_now_ms())) == 0;
}

int auth_session_delete(struct db *db, int64_t session_id)
{
    int64_t account_id = 0;
    int rc = db_get_i64(db, &account_id, "DELETE FROM session WHERE id = ? RETURNING account_id",
                        DB_I64(session_id));

    if (rc == ERR_NOTFOUND)
        return 0;
    return rc < 0 ? rc : live_session_ended(db, account_id, session_id);
}

int auth_session_delete_others(struct db *db, int64_t account_id, int64_t keep_session_id)
{
    struct arena a;
    struct buf ids; /* int64_t each: the sessions deleted, whose streams must end */
    struct stmt *q;
    int rc;

    arena_init(&a);
    buf_init_arena(&ids, &a);
    q = db_query(db, "DELETE FROM session WHERE account_id = ? AND id <> ? RETURNING id",
                 DB_I64(account_id), DB_I64(keep_session_id));
    while (db_row(q)) {
        int64_t id = db_i64(q, 0);
        buf_add(&ids, &id, sizeof(id));
    }
    rc = db_end(q);
    for (size_t i = 0; rc == 0 && i < ids.len / sizeof(int64_t); i++) {
        int64_t id;
        memcpy(&id, ids.s + i * sizeof(id), sizeof(id));
        rc = live_session_ended(db, account_id, id);
    }
    arena_clear(&a);
    return rc;
}

int auth_session_delete_all(struct db *db, int64_t account_id)
{
    int rc = db_exec(db, "DELETE FROM session WHERE account_id = ?", DB_I64(account_id));

    return rc < 0 ? rc : live_member_signed_out(db, account_id);
}

/* ---- one-time sign-in links --------------------------------------------- */

int auth_link_create(struct db *db, int64_t account_id, char token_out[AUTH_TOKEN_TEXT])
{
    unsigned char hash[32];
    int64_t now = time_now_ms();

    auth_token_new(token_out);
    auth_token_hash(token_out, hash);
    return db_exec(db,
                   "INSERT INTO login_link(token_hash, account_id, created_ms, expires_ms)"
                   " VALUES (?, ?, ?, ?)",
                   DB_BLOB(hash, sizeof(hash)), DB_I64(account_id), DB_I64(now),
                   DB_I64(now + AUTH_LINK_TTL_MS));
}

int auth_link_peek(struct db *db, const char *token, int64_t *account_id)
{
    unsigned char hash[32];

    if (!token || strlen(token) != AUTH_TOKEN_TEXT - 1)
        return ERR_NOTFOUND;
    auth_token_hash(token, hash);
    return db_get_i64(db, account_id,
                      "SELECT l.account_id FROM login_link l JOIN account a ON a.id = l.account_id"
                      " WHERE l.token_hash = ? AND l.used_ms IS NULL AND l.expires_ms > ?"
                      "   AND a.status <> 'deactivated'",
                      DB_BLOB(hash, sizeof(hash)), DB_I64(time_now_ms()));
}

int auth_link_consume(struct db *db, const char *token, int64_t *account_id)
{
    unsigned char hash[32];
    int rc;

    if ((rc = auth_link_peek(db, token, account_id)) < 0)
        return rc;
    auth_token_hash(token, hash);
    rc = db_exec(db, "UPDATE login_link SET used_ms = ? WHERE token_hash = ? AND used_ms IS NULL",
                 DB_I64(time_now_ms()), DB_BLOB(hash, sizeof(hash)));
    if (rc == 0 && db_changes(db) == 0)
        rc = ERR_NOTFOUND;
    return rc;
}

/* ---- upkeep ------------------------------------------------------------------ */

int auth_maintenance(struct db *db)
{
    int64_t now = time_now_ms();
    int rc = db_exec(db, "DELETE FROM session WHERE expires_ms < ? /*scan-ok*/", DB_I64(now));

    if (rc == 0)
        rc = db_exec(db, "DELETE FROM login_link WHERE expires_ms < ? /*scan-ok*/",
                     DB_I64(now - AUTH_LINK_TTL_MS));
    if (rc == 0)
        rc = db_exec(db, "DELETE FROM login_failure WHERE window_start_ms < ? /*scan-ok*/",
                     DB_I64(now - AUTH_THROTTLE_WINDOW_MS));
    return rc;
}

/* ---- the router's hooks ------------------------------------------------- */

/* "Bearer xyz" -> "xyz", or NULL. */
static const char *bearer_token(struct req *r)
{
    const char *h = http_header(r, "Authorization");

    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return NULL;
    return h + 7;
}

/* The cookie CSRF tokens are bound to: the session, or a visitor cookie made here. */
static const char *csrf_cookie(struct req *r, const char *session_token)
{
    const char *visitor;
    char fresh[AUTH_TOKEN_TEXT];

    if (session_token)
        return session_token;
    visitor = http_cookie(r, AUTH_COOKIE_PRESESSION);
    if (visitor && strlen(visitor) == AUTH_TOKEN_TEXT - 1)
        return visitor;
    if (r->is_api)
        return NULL;
    auth_token_new(fresh);
    http_set_cookie(r, AUTH_COOKIE_PRESESSION, fresh, 7 * 24 * 3600);
    return arena_strdup(r->a, fresh);
}

int auth_identify(struct req *r)
{
    const char *bearer = bearer_token(r);
    const char *cookie = http_cookie(r, AUTH_COOKIE_SESSION);
    const char *session_token = NULL;
    const char *bound;
    int rc;

    memset(&r->viewer, 0, sizeof(r->viewer));
    if (bearer) {
        rc = auth_session_lookup(r->db, r->a, bearer, &r->viewer);
        if (rc == 0 && !r->viewer.via_bearer)
            memset(&r->viewer, 0, sizeof(r->viewer)); /* a browser session is not a bearer */
    } else if (cookie) {
        rc = auth_session_lookup(r->db, r->a, cookie, &r->viewer);
        if (rc == 0 && r->viewer.via_bearer)
            memset(&r->viewer, 0, sizeof(r->viewer)); /* an API token is not a cookie */
        else if (rc == 0)
            session_token = cookie;
        else if (rc == ERR_NOTFOUND && !r->is_api)
            http_set_cookie(r, AUTH_COOKIE_SESSION, "", 0); /* expired: forget it */
    } else {
        rc = ERR_NOTFOUND;
    }
    if (rc < 0 && rc != ERR_NOTFOUND)
        return rc;
    if (r->viewer.id && i18n_is_supported(r->viewer.lang))
        r->lang = r->viewer.lang;
    if (!r->viewer.via_bearer) {
        bound = csrf_cookie(r, session_token);
        if (bound) {
            char *token = arena_alloc(r->a, AUTH_TOKEN_TEXT);
            auth_csrf_token(r->app->secret, bound, token);
            r->csrf_token = token;
        }
    }
    return 0;
}

bool auth_csrf_ok(struct req *r)
{
    const char *bound = http_cookie(r, AUTH_COOKIE_SESSION);
    const char *submitted = r->is_api ? http_header(r, "X-CSRF-Token") : http_form(r, "csrf_token");

    if (!r->viewer.id)
        bound = http_cookie(r, AUTH_COOKIE_PRESESSION);
    return auth_csrf_check(r->app->secret, bound, submitted);
}
