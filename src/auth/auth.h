/*
 * auth.h - accounts, passwords, sessions, CSRF and one-time sign-in links.
 *
 * Passwords are argon2id (libsodium crypto_pwhash_str).  Session, API and
 * link tokens are 256-bit random values shown once to their holder and
 * stored only as a keyed BLAKE2b hash.  CSRF tokens are a keyed hash of the
 * visitor's session (or pre-session) cookie, checked in constant time.
 */
#ifndef RUCHE_AUTH_H
#define RUCHE_AUTH_H

#include "../core/core.h"
#include "../http/http.h"

struct db;
struct arena;
struct app;

/* ---- limits --------------------------------------------------------- */
#define AUTH_PASSWORD_MIN 10  /* characters */
#define AUTH_PASSWORD_MAX 256 /* bytes */
#define AUTH_EMAIL_MAX 254
#define AUTH_NAME_MAX 120
#define AUTH_SESSION_TTL_MS (30LL * 24 * 3600 * 1000)
#define AUTH_LINK_TTL_MS (24LL * 3600 * 1000)
#define AUTH_TOKEN_BYTES 32 /* 256 bits */
#define AUTH_TOKEN_TEXT 44  /* base64url of 32 bytes, no padding, plus NUL */

/* ---- tokens (token.c) ---------------------------------------------- */

/* Fill out with a new random token in base64url (43 chars + NUL). */
void auth_token_new(char out[AUTH_TOKEN_TEXT]);
/* Keyed hash of a token for storage (32 bytes). */
void auth_token_hash(const char *token, unsigned char out[32]);

/* ---- passwords (password.c) ----------------------------------------- */

/* argon2id hash string of password into out (crypto_pwhash_STRBYTES). ERR_INVALID if too long. */
int auth_password_hash(const char *password, char *out, size_t out_size);
/* True when password matches the stored hash. */
bool auth_password_verify(const char *stored_hash, const char *password);
/* NULL if password is acceptable, else a French message id explaining why. */
const char *auth_password_problem(const char *password);

/* ---- accounts (account.c) ------------------------------------------- */

struct account {
    int64_t id;
    const char *email;
    const char *name;
    enum role role;
    const char *status; /* "invited", "active", "deactivated" */
    const char *lang;
    const char *job, *department, *site;
    bool must_change_password;
    bool has_password;
    int64_t created_ms;
};

const char *auth_role_name(enum role role);
/* ROLE_NONE for an unknown name. */
enum role auth_role_parse(const char *name);

/* A valid, normalised (lower-case, trimmed) e-mail copy in a, or NULL. */
char *auth_email_normalise(struct arena *a, const char *email);

struct account_new {
    const char *email, *name;
    enum role role;
    const char *password; /* NULL: invited, no password yet */
    bool temporary;       /* must change at next sign-in */
    const char *job, *department, *site;
    int64_t created_ms; /* 0: now */
};
/* Create an account; *id_out receives its id.  ERR_EXISTS if the e-mail is taken,
 * ERR_INVALID on a bad e-mail, name or password. */
int auth_account_create(struct db *db, const struct account_new *n, int64_t *id_out);
/* Load by id or e-mail into arena memory.  ERR_NOTFOUND. */
int auth_account_get(struct db *db, struct arena *a, int64_t id, struct account *out);
int auth_account_by_email(struct db *db, struct arena *a, const char *email, struct account *out);
/* Set a new password; temporary marks it to be replaced at next sign-in. */
int auth_account_set_password(struct db *db, int64_t id, const char *password, bool temporary);
int auth_account_set_lang(struct db *db, int64_t id, const char *lang);
/* Set the display name (trimmed, 1-AUTH_NAME_MAX characters, kept in step with name_folded)
 * and the job, department and site, which the caller has validated.  ERR_INVALID on a bad
 * name, ERR_NOTFOUND without such an account. */
int auth_account_set_details(struct db *db, int64_t id, const char *name, const char *job,
                             const char *department, const char *site);
/* Activate or deactivate; deactivation ends every session and token at once. */
int auth_account_set_active(struct db *db, int64_t id, bool active);
/* Check e-mail and password of an active account; ERR_DENIED otherwise (same time either way). */
int auth_account_check_password(struct db *db, struct arena *a, const char *email,
                                const char *password, struct account *out);

/* ---- sessions (session.c) ------------------------------------------- */

/* Start a session; token_out receives the token to hand to the client. */
int auth_session_create(struct db *db, int64_t account_id, bool api,
                        char token_out[AUTH_TOKEN_TEXT]);
/* Fill v from a session token of an active account.  ERR_NOTFOUND if none or expired. */
int auth_session_lookup(struct db *db, struct arena *a, const char *token, struct viewer *v);
int auth_session_delete(struct db *db, int64_t session_id);
/* True while the session of account_id exists, has not expired and its account is active. */
bool auth_session_active(struct db *db, int64_t session_id, int64_t account_id);
/* End every other session of the member (after a password change). */
int auth_session_delete_others(struct db *db, int64_t account_id, int64_t keep_session_id);
/* "Sign out everywhere". */
int auth_session_delete_all(struct db *db, int64_t account_id);

/* ---- one-time sign-in links (session.c) ------------------------------ */

/* Create a link token valid 24 h. */
int auth_link_create(struct db *db, int64_t account_id, char token_out[AUTH_TOKEN_TEXT]);
/* The account of an unused, unexpired link, without consuming it.  ERR_NOTFOUND. */
int auth_link_peek(struct db *db, const char *token, int64_t *account_id);
/* Mark it used; ERR_NOTFOUND when it was used meanwhile. */
int auth_link_consume(struct db *db, const char *token, int64_t *account_id);

/* ---- CSRF (csrf.c) ----------------------------------------------------- */

/* Token bound to the visitor's cookie value, keyed with the site secret. */
void auth_csrf_token(const unsigned char *secret, const char *cookie_value,
                     char out[AUTH_TOKEN_TEXT]);
/* Constant-time check of a submitted token. */
bool auth_csrf_check(const unsigned char *secret, const char *cookie_value, const char *submitted);

/* ---- throttling (throttle.c) ------------------------------------------ */

#define AUTH_THROTTLE_WINDOW_MS (15LL * 60 * 1000)
#define AUTH_THROTTLE_PER_ACCOUNT 5
#define AUTH_THROTTLE_PER_ADDRESS 30

/* Seconds to wait before key may try again, 0 when allowed. */
int64_t auth_throttle_wait(struct db *db, const char *key, int limit);
void auth_throttle_fail(struct db *db, const char *key);
void auth_throttle_clear(struct db *db, const char *key);

/* ---- upkeep (session.c) ------------------------------------------------ */

/* Delete expired sessions and links, and finished throttling windows. */
int auth_maintenance(struct db *db);

/* ---- request integration (session.c) ----------------------------------- */

#define AUTH_COOKIE_SESSION "ruche_session"
#define AUTH_COOKIE_PRESESSION "ruche_visitor"

/* Router hook: fill r->viewer from the cookie or bearer token, and r->csrf_token. */
int auth_identify(struct req *r);
/* Router hook: check the CSRF token of a state-changing request. */
bool auth_csrf_ok(struct req *r);

#endif
