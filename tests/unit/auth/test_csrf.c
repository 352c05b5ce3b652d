/*
 * test_csrf.c - CSRF tokens bound to the visitor's cookie (auth/csrf.c).
 *
 * auth_csrf_token() must be deterministic, 43 base64url characters, and
 * depend on both the cookie and the site secret.  auth_csrf_check() must
 * accept exactly the token of this cookie under this secret, and refuse a
 * missing or empty cookie, a token made for another cookie or secret, and
 * any other submitted string: NULL, empty, truncated, overlong, one
 * character changed at any position, case-swapped, with whitespace around.
 *
 * Cases are tables with ids, so a failure names its case.
 */
#include "auth/auth.h"

#include <ctype.h>
#include <setjmp.h>

#include <cmocka.h>
#include <sodium.h>

#define COOKIE "Qm9uam91ciBsYSBydWNoZSwgYm9uam91ciBsZXMgYWI"

static unsigned char secret[32], other_secret[32];

static int setup(void **state)
{
    (void)state;
    if (sodium_init() < 0)
        return -1;
    for (size_t i = 0; i < sizeof(secret); i++) {
        secret[i] = (unsigned char)i;
        other_secret[i] = (unsigned char)i;
    }
    other_secret[31] ^= 1; /* one bit apart */
    return 0;
}

static bool is_base64url(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

static void test_token_shape(void **state)
{
    static const char *const cookies[] = {COOKIE, "a", "", "\xc3\xa9t\xc3\xa9", "a b;c=d"};

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cookies); i++) {
        char t1[AUTH_TOKEN_TEXT + 4], t2[AUTH_TOKEN_TEXT];

        memset(t1, '#', sizeof(t1));
        auth_csrf_token(secret, cookies[i], t1);
        auth_csrf_token(secret, cookies[i], t2);
        if (strlen(t1) != 43)
            fail_msg("cookie \"%s\": token of %zu characters", cookies[i], strlen(t1));
        for (size_t j = 0; j < 43; j++)
            if (!is_base64url(t1[j]))
                fail_msg("cookie \"%s\": character 0x%02x", cookies[i], (unsigned char)t1[j]);
        for (size_t j = AUTH_TOKEN_TEXT; j < sizeof(t1); j++)
            if (t1[j] != '#')
                fail_msg("cookie \"%s\": wrote past %d bytes", cookies[i], AUTH_TOKEN_TEXT);
        if (strcmp(t1, t2) != 0)
            fail_msg("cookie \"%s\": token not deterministic", cookies[i]);
    }
}

static void test_token_depends_on_inputs(void **state)
{
    char base[AUTH_TOKEN_TEXT], t[AUTH_TOKEN_TEXT];

    (void)state;
    auth_csrf_token(secret, COOKIE, base);
    auth_csrf_token(other_secret, COOKIE, t);
    assert_string_not_equal(base, t);
    auth_csrf_token(secret, COOKIE "x", t);
    assert_string_not_equal(base, t);
    auth_csrf_token(secret, "Rm9uam91ciBsYSBydWNoZSwgYm9uam91ciBsZXMgYWI", t);
    assert_string_not_equal(base, t);
}

static void test_check_cookie_and_secret(void **state)
{
    char token[AUTH_TOKEN_TEXT];

    (void)state;
    auth_csrf_token(secret, COOKIE, token);
    assert_true(auth_csrf_check(secret, COOKIE, token));
    /* Another visitor's cookie, or a token made for one. */
    assert_false(auth_csrf_check(secret, "another-cookie", token));
    assert_false(auth_csrf_check(secret, COOKIE "x", token));
    assert_false(auth_csrf_check(secret, "Q", token));
    /* Another site's secret. */
    assert_false(auth_csrf_check(other_secret, COOKIE, token));
    /* No cookie at all: refused even with the token of the empty cookie. */
    assert_false(auth_csrf_check(secret, NULL, token));
    assert_false(auth_csrf_check(secret, "", token));
    auth_csrf_token(secret, "", token);
    assert_false(auth_csrf_check(secret, "", token));
    assert_false(auth_csrf_check(secret, NULL, NULL));
}

static void test_check_submitted(void **state)
{
    enum edit { TRUNCATE, APPEND, PREPEND, SWAP_CASE };
    static const struct {
        const char *id;
        enum edit edit;
        const char *extra;
        size_t keep; /* TRUNCATE: characters kept */
    } cases[] = {
        {"truncated-42", TRUNCATE, NULL, 42},    {"truncated-1", TRUNCATE, NULL, 1},
        {"truncated-0", TRUNCATE, NULL, 0},      {"overlong-by-one", APPEND, "A", 0},
        {"overlong-by-padding", APPEND, "=", 0}, {"overlong-doubled", APPEND, "*token*", 0},
        {"trailing-space", APPEND, " ", 0},      {"trailing-newline", APPEND, "\n", 0},
        {"leading-space", PREPEND, " ", 0},      {"case-swapped", SWAP_CASE, NULL, 0},
    };
    char token[AUTH_TOKEN_TEXT];

    (void)state;
    auth_csrf_token(secret, COOKIE, token);
    assert_false(auth_csrf_check(secret, COOKIE, NULL));
    assert_false(auth_csrf_check(secret, COOKIE, ""));
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char s[2 * AUTH_TOKEN_TEXT + 16];

        switch (cases[i].edit) {
        case TRUNCATE:
            snprintf(s, sizeof(s), "%.*s", (int)cases[i].keep, token);
            break;
        case APPEND:
            snprintf(s, sizeof(s), "%s%s", token,
                     strcmp(cases[i].extra, "*token*") ? cases[i].extra : token);
            break;
        case PREPEND:
            snprintf(s, sizeof(s), "%s%s", cases[i].extra, token);
            break;
        case SWAP_CASE:
            snprintf(s, sizeof(s), "%s", token);
            for (char *p = s; *p; p++)
                *p = (char)(islower((unsigned char)*p) ? toupper((unsigned char)*p)
                                                       : tolower((unsigned char)*p));
            break;
        }
        if (auth_csrf_check(secret, COOKIE, s))
            fail_msg("case %s: \"%s\" accepted", cases[i].id, s);
    }
}

/* Every single-character change, at every position, is refused. */
static void test_check_one_char_changed(void **state)
{
    static const char replacements[] = "A9-_\x01\x80";
    char token[AUTH_TOKEN_TEXT];

    (void)state;
    auth_csrf_token(secret, COOKIE, token);
    for (size_t pos = 0; pos < 43; pos++) {
        for (size_t r = 0; r < sizeof(replacements) - 1; r++) {
            char s[AUTH_TOKEN_TEXT];

            if (token[pos] == replacements[r])
                continue;
            memcpy(s, token, sizeof(s));
            s[pos] = replacements[r];
            if (auth_csrf_check(secret, COOKIE, s))
                fail_msg("token changed at %zu to 0x%02x accepted", pos,
                         (unsigned char)replacements[r]);
        }
    }
    /* The original still passes after all that. */
    assert_true(auth_csrf_check(secret, COOKIE, token));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_shape),
        cmocka_unit_test(test_token_depends_on_inputs),
        cmocka_unit_test(test_check_cookie_and_secret),
        cmocka_unit_test(test_check_submitted),
        cmocka_unit_test(test_check_one_char_changed),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
