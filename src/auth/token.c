/*
 * token.c - random tokens and their stored form.
 *
 * A token is 32 random bytes from libsodium, written in base64url.  The
 * database keeps only its BLAKE2b hash, so a stolen database holds no
 * usable session or link.
 */
#include "auth.h"

#include <sodium.h>

void auth_token_new(char out[AUTH_TOKEN_TEXT])
{
    unsigned char raw[AUTH_TOKEN_BYTES];

    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, AUTH_TOKEN_TEXT, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
}

void auth_token_hash(const char *token, unsigned char out[32])
{
    static const unsigned char context[] = "ruche token v1";

    crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), context,
                       sizeof(context) - 1);
}
