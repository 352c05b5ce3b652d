/*
 * password.c - argon2id password hashes (libsodium crypto_pwhash_str).
 *
 * Parameters are libsodium's "interactive" limits: about 64 MiB and a
 * tenth of a second per hash on this class of machine.
 */
#include "auth.h"
#include "../core/str.h"
#include "../web/i18n.h"

#include <sodium.h>

int auth_password_hash(const char *password, char *out, size_t out_size)
{
    size_t n = strlen(password);

    if (out_size < crypto_pwhash_STRBYTES)
        BUG("password hash buffer too small");
    if (n > AUTH_PASSWORD_MAX)
        return ERR_INVALID;
    if (crypto_pwhash_str_alg(out, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return ERR_NOMEM;
    return 0;
}

bool auth_password_verify(const char *stored_hash, const char *password)
{
    size_t n = strlen(password);

    if (!stored_hash || n > AUTH_PASSWORD_MAX)
        return false;
    return crypto_pwhash_str_verify(stored_hash, password, n) == 0;
}

const char *auth_password_problem(const char *password)
{
    size_t n = strlen(password);

    if (n > AUTH_PASSWORD_MAX)
        return N_("Le mot de passe est trop long (256 octets au plus).");
    if (!str_is_utf8(password, n))
        return N_("Le mot de passe contient des caractères invalides.");
    if (str_utf8_len(password, n) < AUTH_PASSWORD_MIN)
        return N_("Le mot de passe doit compter au moins 10 caractères.");
    return NULL;
}
