/*
 * test_password.c - argon2id password hashes and the password policy (auth/password.c).
 *
 * auth_password_hash() must give a "$argon2id$" string that verifies with the
 * same password only, with a fresh salt each time; auth_password_verify()
 * must refuse NULL, empty, garbage and truncated hashes.  The policy
 * auth_password_problem() counts characters, not bytes, for the 10-character
 * minimum, bytes for the 256-byte maximum, and refuses invalid UTF-8.
 *
 * Each hash or verification costs about 0.1 s and 64 MiB, so the expensive
 * cases share a few hashes made once in the group setup.  Cheap refusals
 * (over-long passwords, unparsable hashes) are tested freely.
 */
#include "auth/auth.h"

#include <setjmp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#define PASSWORD "correct horse battery"
/* "abcété🐝 €": 9 characters in 16 bytes. */
#define PASSWORD_UTF8 "abc\xc3\xa9t\xc3\xa9\xf0\x9f\x90\x9d \xe2\x82\xac"

static struct {
    char first[crypto_pwhash_STRBYTES];
    char second[crypto_pwhash_STRBYTES]; /* same password, another salt */
} hashes;

static int setup(void **state)
{
    (void)state;
    if (sodium_init() < 0)
        return -1;
    if (auth_password_hash(PASSWORD, hashes.first, sizeof(hashes.first)) != 0)
        return -1;
    if (auth_password_hash(PASSWORD, hashes.second, sizeof(hashes.second)) != 0)
        return -1;
    return 0;
}

/* A string of n copies of unit (a UTF-8 character), in malloc'd memory. */
static char *repeat(const char *unit, size_t n)
{
    size_t len = strlen(unit);
    char *s = malloc(len * n + 1);

    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * len, unit, len);
    s[len * n] = '\0';
    return s;
}

/* ---- hashing and verifying (the expensive part) ---------------------------------------- */

static void test_hash_format(void **state)
{
    (void)state;
    assert_true(strncmp(hashes.first, "$argon2id$", 10) == 0);
    assert_true(strncmp(hashes.second, "$argon2id$", 10) == 0);
    assert_true(strlen(hashes.first) < crypto_pwhash_STRBYTES);
    /* The same password hashed twice differs: each hash has its own salt. */
    assert_string_not_equal(hashes.first, hashes.second);
    /* The hash never contains the password. */
    assert_null(strstr(hashes.first, PASSWORD));
}

static void test_verify(void **state)
{
    (void)state;
    assert_true(auth_password_verify(hashes.first, PASSWORD));
    assert_true(auth_password_verify(hashes.second, PASSWORD));
    assert_false(auth_password_verify(hashes.first, "correct horse batterY"));
}

/* The longest accepted password (256 bytes), multi-byte, round-trips. */
static void test_hash_utf8_longest(void **state)
{
    char h[crypto_pwhash_STRBYTES];
    char *longest = repeat(PASSWORD_UTF8, 16); /* 16 x 16 = 256 bytes */

    (void)state;
    assert_int_equal(strlen(longest), AUTH_PASSWORD_MAX);
    assert_int_equal(auth_password_hash(longest, h, sizeof(h)), 0);
    assert_true(auth_password_verify(h, longest));
    free(longest);
}

/* ---- cheap refusals ------------------------------------------------------------------- */

static void test_hash_too_long(void **state)
{
    char h[crypto_pwhash_STRBYTES];
    char *long257 = repeat("a", 257);
    char *long10k = repeat("a", 10000);

    (void)state;
    assert_int_equal(auth_password_hash(long257, h, sizeof(h)), ERR_INVALID);
    assert_int_equal(auth_password_hash(long10k, h, sizeof(h)), ERR_INVALID);
    /* Verification refuses them before any hashing. */
    assert_false(auth_password_verify(hashes.first, long257));
    assert_false(auth_password_verify(hashes.first, long10k));
    free(long257);
    free(long10k);
}

static void test_verify_bad_hashes(void **state)
{
    static const struct {
        const char *id;
        const char *hash;
    } cases[] = {
        {"null", NULL},
        {"empty", ""},
        {"garbage", "garbage"},
        {"prefix-only", "$argon2id$"},
        {"bcrypt", "$2y$10$abcdefghijklmnopqrstuuJ4t1uGyf6lpPRVSIDBrk0FWvbxRF0Bq"},
        {"plain-password", PASSWORD},
        {"bad-params", "$argon2id$v=19$m=x,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaA"},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        if (auth_password_verify(cases[i].hash, PASSWORD))
            fail_msg("case %s: verified", cases[i].id);
}

/* A stored hash cut short must not verify (one more argon2 run). */
static void test_verify_truncated_hash(void **state)
{
    char cut[crypto_pwhash_STRBYTES];
    size_t len = strlen(hashes.first);

    (void)state;
    memcpy(cut, hashes.first, len - 4);
    cut[len - 4] = '\0';
    assert_false(auth_password_verify(cut, PASSWORD));
}

static void hash_small_buffer(void)
{
    char h[crypto_pwhash_STRBYTES - 1];

    auth_password_hash(PASSWORD, h, sizeof(h));
}

static void test_hash_small_buffer_is_bug(void **state)
{
    pid_t pid;
    int status = 0;

    (void)state;
    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        static const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGSYS, SIGABRT};

        /* cmocka traps these signals; a crash must not pass for a BUG(). */
        for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
            signal(sigs[i], SIG_DFL);
        if (!freopen("/dev/null", "w", stderr))
            _exit(3);
        hash_small_buffer();
        _exit(0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
}

/* ---- the policy ----------------------------------------------------------------------- */

enum verdict { OK, SHORT, LONG, BAD };

static void test_problem(void **state)
{
    static const struct {
        const char *id;
        const char *unit; /* repeated count times */
        size_t count;
        const char *suffix;
        enum verdict want;
    } cases[] = {
        {"empty", "", 0, "", SHORT},
        {"9-ascii", "a", 9, "", SHORT},
        {"10-ascii", "a", 10, "", OK},
        {"11-ascii", "a", 11, "", OK},
        {"9-e-acute-18-bytes", "\xc3\xa9", 9, "", SHORT},
        {"10-e-acute", "\xc3\xa9", 10, "", OK},
        {"9-euro-27-bytes", "\xe2\x82\xac", 9, "", SHORT},
        {"9-bees-36-bytes", "\xf0\x9f\x90\x9d", 9, "", SHORT},
        {"10-bees", "\xf0\x9f\x90\x9d", 10, "", OK},
        {"9-ascii-plus-1-accented", "a", 9, "\xc3\xa9", OK},
        {"10-spaces", " ", 10, "", OK},
        {"256-bytes", "a", 256, "", OK},
        {"257-bytes", "a", 257, "", LONG},
        {"256-bytes-of-e-acute", "\xc3\xa9", 128, "", OK},
        {"258-bytes-of-e-acute", "\xc3\xa9", 129, "", LONG},
        {"256-bytes-of-bees", "\xf0\x9f\x90\x9d", 64, "", OK},
        {"257-bytes-bee-cut", "\xf0\x9f\x90\x9d", 64, "x", LONG},
        {"10k-bytes", "a", 10000, "", LONG},
        {"invalid-FF", "a", 10, "\xff", BAD},
        {"invalid-overlong", "a", 10, "\xc0\xaf", BAD},
        {"invalid-truncated", "a", 10, "\xc3", BAD},
        {"invalid-surrogate", "a", 10, "\xed\xa0\x80", BAD},
        {"invalid-stray-continuation", "a", 10, "\x80", BAD},
        {"invalid-and-short", "a", 2, "\xff", BAD},
        {"invalid-and-long", "\xff", 300, "", LONG},
    };
    const char *messages[4];
    char *sample;

    (void)state;
    /* The message of each verdict, from an unambiguous sample. */
    messages[OK] = NULL;
    messages[SHORT] = auth_password_problem("a");
    sample = repeat("a", 1000);
    messages[LONG] = auth_password_problem(sample);
    free(sample);
    messages[BAD] = auth_password_problem("abcdefghijkl\xff");
    assert_non_null(messages[SHORT]);
    assert_non_null(messages[LONG]);
    assert_non_null(messages[BAD]);
    assert_string_not_equal(messages[SHORT], messages[LONG]);
    assert_string_not_equal(messages[SHORT], messages[BAD]);
    assert_string_not_equal(messages[LONG], messages[BAD]);

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char *body = repeat(cases[i].unit, cases[i].count);
        size_t len = strlen(body), slen = strlen(cases[i].suffix);
        char *pw = malloc(len + slen + 1);
        const char *got, *want = messages[cases[i].want];

        assert_non_null(pw);
        memcpy(pw, body, len);
        memcpy(pw + len, cases[i].suffix, slen + 1);
        got = auth_password_problem(pw);
        free(body);
        free(pw);
        if (!want && got)
            fail_msg("case %s: refused (%s)", cases[i].id, got);
        if (want && (!got || strcmp(got, want) != 0))
            fail_msg("case %s: got \"%s\", want \"%s\"", cases[i].id, got ? got : "(accepted)",
                     want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_format),
        cmocka_unit_test(test_verify),
        cmocka_unit_test(test_hash_utf8_longest),
        cmocka_unit_test(test_hash_too_long),
        cmocka_unit_test(test_verify_bad_hashes),
        cmocka_unit_test(test_verify_truncated_hash),
        cmocka_unit_test(test_hash_small_buffer_is_bug),
        cmocka_unit_test(test_problem),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
