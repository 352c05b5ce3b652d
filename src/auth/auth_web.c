/*
 * auth_web.c - sign-in, sign-out, password and language pages.
 *
 * A forgotten password never depends on an e-mail reaching an inbox: an
 * administrator hands out a one-time link (ruche user link), which opens
 * /login/link/{token} to choose a new password.  A temporary password set
 * by an administrator must be replaced at the next sign-in; the router
 * sends such a member to /account/password until it is.
 */
#include "auth.h"
#include "auth_handlers.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../feed/feed.h"
#include "../web/i18n.h"
#include "../web/layout.h"
#include "../app.h"

#include <sodium.h>

/* ---- sign in ------------------------------------------------------------ */

static void login_form(struct req *r, struct html *h, const char *email, const char *error)
{
    html_fmt(h, "<section class=\"card narrow\"><h1>%s</h1>", _(r, "Connexion à Ruche"));
    if (error)
        html_fmt(h, "<p class=\"error\" role=\"alert\">%s</p>", error);
    html_form_begin(h, r, "/login");
    html_fmt(h,
             "<label for=\"email\">%s</label>"
             "<input id=\"email\" type=\"email\" name=\"email\" value=\"%s\" "
             "autocomplete=\"username\" required maxlength=\"254\">"
             "<label for=\"password\">%s</label>"
             "<input id=\"password\" type=\"password\" name=\"password\" "
             "autocomplete=\"current-password\" required maxlength=\"256\">"
             "<button type=\"submit\">%s</button></form>",
             _(r, "Adresse e-mail"), email ? email : "", _(r, "Mot de passe"),
             _(r, "Se connecter"));
    html_fmt(h, "<p class=\"muted\">%s</p></section>",
             _(r, "Mot de passe oublié ? Un administrateur ou l'animateur de votre communauté "
                  "peut vous remettre un lien de connexion à usage unique."));
}

static int login_page(struct req *r, int status, const char *email, const char *error)
{
    struct html *h = page_begin(r, &(struct page){.title = _(r, "Connexion"), .bare = true});

    login_form(r, h, email, error);
    r->status = status;
    return page_end(r);
}

int auth_page_login(struct req *r)
{
    if (r->viewer.id)
        return http_reply_redirect(r, "/");
    return login_page(r, 200, NULL, NULL);
}

/* Throttle keys of a sign-in attempt: the e-mail tried and the client address. */
static void throttle_keys(struct req *r, const char *email, char **by_email, char **by_ip)
{
    char *norm = auth_email_normalise(r->a, email);

    *by_email = arena_printf(r->a, "email:%s", norm ? norm : email);
    *by_ip = arena_printf(r->a, "ip:%s", r->client_ip);
}

/* Seconds before this e-mail or address may try again; 0 when allowed. */
static int64_t throttle_wait(struct req *r, const char *by_email, const char *by_ip)
{
    int64_t a = auth_throttle_wait(r->db, by_email, AUTH_THROTTLE_PER_ACCOUNT);
    int64_t b = auth_throttle_wait(r->db, by_ip, AUTH_THROTTLE_PER_ADDRESS);

    return a > b ? a : b;
}

static const char *throttle_message(struct req *r, int64_t wait_s)
{
    return arena_printf(r->a, "%s %lld min.",
                        _(r, "Trop de tentatives de connexion. Réessayez dans"),
                        (long long)((wait_s + 59) / 60));
}

static int start_session(struct req *r, int64_t account_id, bool must_change)
{
    char token[AUTH_TOKEN_TEXT];
    int rc = auth_session_create(r->db, account_id, false, token);

    if (rc < 0)
        return http_reply_err(r, rc);
    http_set_cookie(r, AUTH_COOKIE_SESSION, token, AUTH_SESSION_TTL_MS / 1000);
    sodium_memzero(token, sizeof(token));
    return http_reply_redirect(r, must_change ? "/account/password" : "/");
}

int auth_form_login(struct req *r)
{
    const char *email = http_form(r, "email");
    const char *password = http_form(r, "password");
    struct account acc;
    char *by_email, *by_ip;
    int64_t wait_s;
    int rc;

    if (!email || !*email || !password || !*password)
        return login_page(r, 400, email,
                          _(r, "Indiquez votre adresse e-mail et votre mot de passe."));
    throttle_keys(r, email, &by_email, &by_ip);
    if ((wait_s = throttle_wait(r, by_email, by_ip)) > 0)
        return login_page(r, 429, email, throttle_message(r, wait_s));
    rc = auth_account_check_password(r->db, r->a, email, password, &acc);
    if (rc == ERR_DENIED) {
        auth_throttle_fail(r->db, by_email);
        auth_throttle_fail(r->db, by_ip);
        return login_page(r, 401, email, _(r, "Adresse e-mail ou mot de passe incorrect."));
    }
    if (rc < 0)
        return http_reply_err(r, rc);
    auth_throttle_clear(r->db, by_email);
    return start_session(r, acc.id, acc.must_change_password);
}

/* ---- sign out ------------------------------------------------------------- */

int auth_form_logout(struct req *r)
{
    int rc = auth_session_delete(r->db, r->viewer.session_id);

    if (rc < 0)
        return http_reply_err(r, rc);
    http_set_cookie(r, AUTH_COOKIE_SESSION, "", 0);
    return http_reply_redirect(r, "/login");
}

int auth_form_logout_all(struct req *r)
{
    int rc = auth_session_delete_all(r->db, r->viewer.id);

    if (rc < 0)
        return http_reply_err(r, rc);
    http_set_cookie(r, AUTH_COOKIE_SESSION, "", 0);
    return http_reply_redirect(r, "/login");
}

/* ---- choosing a password ------------------------------------------------------ */

/* The two password fields, with an error already translated, or NULL. */
static const char *new_password_problem(struct req *r)
{
    const char *password = http_form(r, "password");
    const char *confirm = http_form(r, "password_confirm");
    const char *problem;

    if (!password || !confirm)
        return _(r, "Indiquez le nouveau mot de passe deux fois.");
    if ((problem = auth_password_problem(password)) != NULL)
        return i18n_text(r->lang, problem);
    if (strcmp(password, confirm) != 0)
        return _(r, "Les deux mots de passe ne sont pas identiques.");
    return NULL;
}

static void new_password_fields(struct req *r, struct html *h, bool ask_current)
{
    if (ask_current)
        html_fmt(h,
                 "<label for=\"current_password\">%s</label>"
                 "<input id=\"current_password\" type=\"password\" name=\"current_password\" "
                 "autocomplete=\"current-password\" required maxlength=\"256\">",
                 _(r, "Mot de passe actuel"));
    html_fmt(h,
             "<label for=\"password\">%s</label>"
             "<input id=\"password\" type=\"password\" name=\"password\" "
             "autocomplete=\"new-password\" required minlength=\"10\" maxlength=\"256\">"
             "<p class=\"hint\">%s</p>"
             "<label for=\"password_confirm\">%s</label>"
             "<input id=\"password_confirm\" type=\"password\" name=\"password_confirm\" "
             "autocomplete=\"new-password\" required minlength=\"10\" maxlength=\"256\">"
             "<button type=\"submit\">%s</button></form>",
             _(r, "Nouveau mot de passe"), _(r, "Au moins 10 caractères."),
             _(r, "Confirmez le nouveau mot de passe"), _(r, "Enregistrer le mot de passe"));
}

static int password_page(struct req *r, int status, const char *error)
{
    struct html *h = page_begin(r, &(struct page){.title = _(r, "Mot de passe")});
    bool temporary = r->viewer.must_change_password;

    html_fmt(h, "<section class=\"card narrow\"><h1>%s</h1>", _(r, "Changer de mot de passe"));
    if (temporary)
        html_fmt(h, "<p class=\"notice\">%s</p>",
                 _(r, "Votre mot de passe est provisoire : choisissez-en un nouveau, "
                      "que vous seul connaîtrez."));
    if (error)
        html_fmt(h, "<p class=\"error\" role=\"alert\">%s</p>", error);
    html_form_begin(h, r, "/account/password");
    new_password_fields(r, h, !temporary);
    html_fmt(h, "</section>");
    r->status = status;
    return page_end(r);
}

int auth_page_password(struct req *r)
{
    return password_page(r, 200, NULL);
}

int auth_form_password(struct req *r)
{
    const char *problem = new_password_problem(r);
    struct account acc;
    int rc;

    if (!problem && !r->viewer.must_change_password) {
        const char *current = http_form(r, "current_password");
        if (!current ||
            auth_account_check_password(r->db, r->a, r->viewer.email, current, &acc) != 0)
            problem = _(r, "Le mot de passe actuel est incorrect.");
    }
    if (problem)
        return password_page(r, 400, problem);
    if ((rc = db_tx_begin(r->db)) < 0)
        return http_reply_err(r, rc);
    rc = auth_account_set_password(r->db, r->viewer.id, http_form(r, "password"), false);
    /* Other browsers signed in with the old password are signed out. */
    if (rc == 0)
        rc = auth_session_delete_others(r->db, r->viewer.id, r->viewer.session_id);
    if (rc < 0) {
        db_tx_rollback(r->db);
        return http_reply_err(r, rc);
    }
    if ((rc = db_tx_commit(r->db)) < 0)
        return http_reply_err(r, rc);
    return http_reply_redirect(r, "/account?password=changed");
}

/* ---- one-time sign-in link ----------------------------------------------------- */

static int link_page(struct req *r, int status, const char *token, const char *error)
{
    struct html *h =
        page_begin(r, &(struct page){.title = _(r, "Nouveau mot de passe"), .bare = true});

    html_fmt(h, "<section class=\"card narrow\"><h1>%s</h1><p>%s</p>",
             _(r, "Choisissez votre mot de passe"),
             _(r, "Ce lien de connexion ne sert qu'une fois. Choisissez le mot de passe que vous "
                  "utiliserez ensuite."));
    if (error)
        html_fmt(h, "<p class=\"error\" role=\"alert\">%s</p>", error);
    html_form_begin(h, r, "/login/link/%s", token);
    new_password_fields(r, h, false);
    html_fmt(h, "</section>");
    r->status = status;
    return page_end(r);
}

static int link_invalid(struct req *r)
{
    return http_reply_error(r, 404, "link_invalid",
                            _(r, "Ce lien de connexion n'est plus valable : il a déjà servi ou "
                                 "a expiré. Demandez-en un nouveau à un administrateur."));
}

int auth_page_link(struct req *r)
{
    const char *token = http_param(r, "token");
    int64_t account_id;
    int rc = auth_link_peek(r->db, token, &account_id);

    if (rc == ERR_NOTFOUND)
        return link_invalid(r);
    if (rc < 0)
        return http_reply_err(r, rc);
    return link_page(r, 200, token, NULL);
}

int auth_form_link(struct req *r)
{
    const char *token = http_param(r, "token");
    const char *problem = new_password_problem(r);
    int64_t account_id;
    int rc;

    if (auth_link_peek(r->db, token, &account_id) != 0)
        return link_invalid(r);
    if (problem)
        return link_page(r, 400, token, problem);
    if ((rc = db_tx_begin(r->db)) < 0)
        return http_reply_err(r, rc);
    rc = auth_link_consume(r->db, token, &account_id);
    if (rc == 0)
        rc = auth_account_set_password(r->db, account_id, http_form(r, "password"), false);
    if (rc == 0)
        rc = auth_session_delete_all(r->db, account_id);
    if (rc < 0) {
        db_tx_rollback(r->db);
        return rc == ERR_NOTFOUND ? link_invalid(r) : http_reply_err(r, rc);
    }
    if ((rc = db_tx_commit(r->db)) < 0)
        return http_reply_err(r, rc);
    return start_session(r, account_id, false);
}

/* ---- account and language ---------------------------------------------------------- */

int auth_page_account(struct req *r)
{
    struct html *h = page_begin(r, &(struct page){.title = _(r, "Mon compte")});
    const char *changed = http_query(r, "password");
    int rc;

    html_fmt(h, "<section class=\"card\"><h1>%s</h1>", _(r, "Mon compte"));
    if (changed && strcmp(changed, "changed") == 0)
        html_fmt(h, "<p class=\"notice\" role=\"status\">%s</p>",
                 _(r, "Votre mot de passe a été changé. Vos autres sessions ont été fermées."));
    html_fmt(h, "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd></dl>",
             _(r, "Nom"), r->viewer.name, _(r, "Adresse e-mail"), r->viewer.email);
    html_fmt(h, "<p><a");
    html_href(h, "/account/password");
    html_fmt(h, ">%s</a></p>", _(r, "Changer de mot de passe"));
    html_form_begin(h, r, "/logout/all");
    html_fmt(h, "<p>%s</p><button type=\"submit\" class=\"secondary\">%s</button></form>",
             _(r, "Un appareil perdu, un ordinateur partagé ? Fermez toutes vos sessions, "
                  "sur tous vos appareils."),
             _(r, "Se déconnecter partout"));
    html_fmt(h, "</section>");
    if ((rc = feed_atom_account_block(r, h)) < 0)
        return http_reply_err(r, rc);
    return page_end(r);
}

/* The path of the page the visitor came from, when it is on this site; else "/". */
static const char *back_path(struct req *r)
{
    const char *referer = http_header(r, "Referer");
    const char *host = http_header(r, "Host");
    const char *scheme_end, *path;

    if (!referer || !host || !(scheme_end = strstr(referer, "://")))
        return "/";
    path = strchr(scheme_end + 3, '/');
    if (!path || (size_t)(path - scheme_end - 3) != strlen(host) ||
        strncmp(scheme_end + 3, host, strlen(host)) != 0)
        return "/";
    return path;
}

int auth_form_language(struct req *r)
{
    const char *lang = http_form(r, "lang");
    int rc;

    if (!lang || !i18n_is_supported(lang))
        return http_reply_error(r, 400, "invalid", _(r, "Langue inconnue."));
    if (r->viewer.id && (rc = auth_account_set_lang(r->db, r->viewer.id, lang)) < 0)
        return http_reply_err(r, rc);
    http_set_cookie(r, "ruche_lang", lang, 365LL * 24 * 3600);
    return http_reply_redirect(r, back_path(r));
}
