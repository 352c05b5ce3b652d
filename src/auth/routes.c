/*
 * routes.c - the whole URL surface of accounts and sessions.
 *
 * Sign-in forms take small bodies; the link routes carry a secret in the
 * path, so the access log shows their pattern instead.
 */
#include "auth_handlers.h"

#define AUTH_FORM_LIMIT (64 * 1024)

const struct route auth_routes[] = {
    {HTTP_GET, "/login", auth_page_login, ACCESS_ANON_OK, ROUTE_PASSWORD_EXEMPT, 0},
    {HTTP_POST, "/login", auth_form_login, ACCESS_ANON_OK, ROUTE_PASSWORD_EXEMPT, AUTH_FORM_LIMIT},
    {HTTP_POST, "/logout", auth_form_logout, ACCESS_GUEST, ROUTE_PASSWORD_EXEMPT, 0},
    {HTTP_POST, "/logout/all", auth_form_logout_all, ACCESS_GUEST, ROUTE_PASSWORD_EXEMPT, 0},
    {HTTP_GET, "/login/link/{token}", auth_page_link, ACCESS_ANON_OK,
     ROUTE_SECRET_PATH | ROUTE_PASSWORD_EXEMPT, 0},
    {HTTP_POST, "/login/link/{token}", auth_form_link, ACCESS_ANON_OK,
     ROUTE_SECRET_PATH | ROUTE_PASSWORD_EXEMPT, AUTH_FORM_LIMIT},
    {HTTP_GET, "/account", auth_page_account, ACCESS_GUEST, 0, 0},
    {HTTP_GET, "/account/password", auth_page_password, ACCESS_GUEST, ROUTE_PASSWORD_EXEMPT, 0},
    {HTTP_POST, "/account/password", auth_form_password, ACCESS_GUEST, ROUTE_PASSWORD_EXEMPT,
     AUTH_FORM_LIMIT},
    {HTTP_POST, "/settings/language", auth_form_language, ACCESS_PUBLIC, ROUTE_PASSWORD_EXEMPT, 0},

    {HTTP_POST, "/api/v1/session", auth_api_session_create, ACCESS_PUBLIC,
     ROUTE_API | ROUTE_NO_CSRF | ROUTE_PASSWORD_EXEMPT, AUTH_FORM_LIMIT},
    {HTTP_DELETE, "/api/v1/session", auth_api_session_delete, ACCESS_GUEST,
     ROUTE_API | ROUTE_PASSWORD_EXEMPT, 0},
    {HTTP_GET, "/api/v1/me", auth_api_me, ACCESS_GUEST, ROUTE_API | ROUTE_PASSWORD_EXEMPT, 0},
    {0, NULL, NULL, 0, 0, 0},
};
