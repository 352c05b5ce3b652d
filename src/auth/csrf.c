/*
 * csrf.c - CSRF tokens bound to the visitor's cookie.
 *
 * The token is a BLAKE2b MAC, keyed with the site secret, of the session
 * cookie (or, before sign-in, of the visitor cookie).  A page from another
 * site can neither read the cookie nor compute the MAC; nothing needs to
 * be stored, so any node of a cluster can check it.
 */
#include "auth.h"

#include <sodium.h>

void auth_csrf_token(const unsigned char *secret, const char *cookie_value,
                     char out[AUTH_TOKEN_TEXT])
{
    unsigned char mac[32];
    static const char prefix[] = "csrf:";
    crypto_generichash_state st;

    crypto_generichash_init(&st, secret, 32, sizeof(mac));
    crypto_generichash_update(&st, (const unsigned char *)prefix, sizeof(prefix) - 1);
    crypto_generichash_update(&st, (const unsigned char *)cookie_value, strlen(cookie_value));
    crypto_generichash_final(&st, mac, sizeof(mac));
    sodium_bin2base64(out, AUTH_TOKEN_TEXT, mac, sizeof(mac),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool auth_csrf_check(const unsigned char *secret, const char *cookie_value, const char *submitted)
{
    char expected[AUTH_TOKEN_TEXT];

    if (!cookie_value || !*cookie_value || !submitted || strlen(submitted) != AUTH_TOKEN_TEXT - 1)
        return false;
    auth_csrf_token(secret, cookie_value, expected);
    return sodium_memcmp(expected, submitted, AUTH_TOKEN_TEXT - 1) == 0;
}
