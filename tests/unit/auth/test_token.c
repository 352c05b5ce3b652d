/*
 * test_token.c - random tokens and their stored hash (auth/token.c).
 *
 * auth_token_new() must write exactly 43 base64url characters and a NUL into
 * its 44-byte buffer, decode back to 32 bytes, and never repeat itself.
 * auth_token_hash() must be deterministic, write exactly 32 bytes, differ for
 * different tokens (even one character apart), and not be the plain unkeyed
 * BLAKE2b of the token.
 */
#include "auth/auth.h"

#include <setjmp.h>

#include <cmocka.h>
#include <sodium.h>

#define TOKEN_COUNT 1000

typedef char token_text[AUTH_TOKEN_TEXT];
typedef unsigned char token_hash[32];

static int setup(void **state)
{
    (void)state;
    return sodium_init() < 0 ? -1 : 0;
}

static bool is_base64url(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

static int cmp_token(const void *x, const void *y)
{
    return strcmp(x, y);
}

static int cmp_hash(const void *x, const void *y)
{
    return memcmp(x, y, 32);
}

static void test_token_format(void **state)
{
    (void)state;
    for (int round = 0; round < 100; round++) {
        char t[AUTH_TOKEN_TEXT + 4];
        unsigned char raw[AUTH_TOKEN_BYTES + 1];
        size_t raw_len = 0;

        memset(t, '#', sizeof(t));
        auth_token_new(t);
        assert_int_equal(strlen(t), 43);
        for (size_t i = 0; i < 43; i++)
            if (!is_base64url(t[i]))
                fail_msg("token %s: character 0x%02x at %zu", t, (unsigned char)t[i], i);
        /* Nothing written past the 44 bytes it owns. */
        for (size_t i = AUTH_TOKEN_TEXT; i < sizeof(t); i++)
            assert_int_equal(t[i], '#');
        /* It decodes back to exactly 32 bytes (canonical: the last character's spare
         * bits are zero). */
        assert_int_equal(sodium_base642bin(raw, sizeof(raw), t, 43, NULL, &raw_len, NULL,
                                           sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                         0);
        assert_int_equal(raw_len, AUTH_TOKEN_BYTES);
    }
}

static void test_tokens_distinct(void **state)
{
    token_text *tokens = calloc(TOKEN_COUNT, sizeof(*tokens));

    (void)state;
    assert_non_null(tokens);
    for (size_t i = 0; i < TOKEN_COUNT; i++)
        auth_token_new(tokens[i]);
    qsort(tokens, TOKEN_COUNT, sizeof(*tokens), cmp_token);
    for (size_t i = 1; i < TOKEN_COUNT; i++)
        if (strcmp(tokens[i - 1], tokens[i]) == 0)
            fail_msg("token %s drawn twice", tokens[i]);
    free(tokens);
}

static void test_hash_deterministic(void **state)
{
    static const char *const tokens[] = {
        "",
        "a",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE",
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(tokens); i++) {
        unsigned char h1[40], h2[32], plain[32];

        memset(h1, 0xee, sizeof(h1));
        auth_token_hash(tokens[i], h1);
        auth_token_hash(tokens[i], h2);
        if (memcmp(h1, h2, 32) != 0)
            fail_msg("token \"%s\": two different hashes", tokens[i]);
        for (size_t j = 32; j < sizeof(h1); j++)
            if (h1[j] != 0xee)
                fail_msg("token \"%s\": wrote past 32 bytes", tokens[i]);
        /* Not the plain BLAKE2b of the token: the stored form is keyed. */
        crypto_generichash(plain, 32, (const unsigned char *)tokens[i], strlen(tokens[i]), NULL, 0);
        if (memcmp(h1, plain, 32) == 0)
            fail_msg("token \"%s\": hash is the unkeyed BLAKE2b", tokens[i]);
    }
}

static void test_hash_distinct(void **state)
{
    token_text *tokens = calloc(TOKEN_COUNT, sizeof(*tokens));
    token_hash *hashes = calloc(TOKEN_COUNT, sizeof(*hashes));

    (void)state;
    assert_non_null(tokens);
    assert_non_null(hashes);
    for (size_t i = 0; i < TOKEN_COUNT; i++) {
        auth_token_new(tokens[i]);
        auth_token_hash(tokens[i], hashes[i]);
    }
    qsort(hashes, TOKEN_COUNT, sizeof(*hashes), cmp_hash);
    for (size_t i = 1; i < TOKEN_COUNT; i++)
        if (memcmp(hashes[i - 1], hashes[i], 32) == 0)
            fail_msg("two tokens share a hash");
    free(tokens);
    free(hashes);
}

/* Tokens one character apart, or one a prefix of the other, hash differently. */
static void test_hash_near_tokens(void **state)
{
    char t[AUTH_TOKEN_TEXT], u[AUTH_TOKEN_TEXT];
    unsigned char ht[32], hu[32];

    (void)state;
    auth_token_new(t);
    auth_token_hash(t, ht);
    for (size_t i = 0; i < 43; i++) {
        memcpy(u, t, sizeof(u));
        u[i] = u[i] == 'A' ? 'B' : 'A';
        auth_token_hash(u, hu);
        if (memcmp(ht, hu, 32) == 0)
            fail_msg("tokens differing at %zu share a hash", i);
    }
    memcpy(u, t, sizeof(u));
    u[42] = '\0';
    auth_token_hash(u, hu);
    assert_memory_not_equal(ht, hu, 32);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_format),       cmocka_unit_test(test_tokens_distinct),
        cmocka_unit_test(test_hash_deterministic), cmocka_unit_test(test_hash_distinct),
        cmocka_unit_test(test_hash_near_tokens),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
