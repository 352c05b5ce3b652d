/*
 * test_filestore.c - the content-addressed file store (core/filestore.c).
 *
 * Works in a fresh temporary folder: a stored file lands at root/ab/cd/<hash><ext> with the
 * BLAKE2b-256 of its bytes, storing it again changes nothing, reading respects its limit,
 * hashes that are not 64 lower-case hex digits make no path (no "../"), and removal asks
 * whether the file is still used after taking it away: kept when used or unknown, gone
 * otherwise, never leaving a temporary name behind.
 */
#include "core/arena.h"
#include "core/buf.h"
#include "core/filestore.h"

#include <dirent.h>
#include <setjmp.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#define HELLO_HASH "324dcf027dd4a30a932c441f365a25e86b173defa4b8e58948253471b81b72cf"

static char root[64];

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof(root), "/tmp/ruche-filestore-XXXXXX");
    return mkdtemp(root) ? 0 : -1;
}

/* Remove root and everything in it (three levels: ab/cd/file). */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    if (!d)
        return;
    while ((e = readdir(d))) {
        char path[512];
        struct stat st;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(path);
        else
            unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static int teardown(void **state)
{
    (void)state;
    remove_tree(root);
    return 0;
}

/* Number of entries in the folder of hash (the file and any temporary name). */
static int entries_near(const char *hash)
{
    char dir[512];
    DIR *d;
    struct dirent *e;
    int n = 0;

    snprintf(dir, sizeof(dir), "%s/%.2s/%.2s", root, hash, hash + 2);
    if (!(d = opendir(dir)))
        return 0;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static void test_is_hash_and_path(void **state)
{
    static const struct {
        const char *id, *hash;
        bool ok;
    } cases[] = {
        {"hello", HELLO_HASH, true},
        {"zeros", "0000000000000000000000000000000000000000000000000000000000000000", true},
        {"upper-case", "324DCF027DD4A30A932C441F365A25E86B173DEFA4B8E58948253471B81B72CF", false},
        {"63-digits", "324dcf027dd4a30a932c441f365a25e86b173defa4b8e58948253471b81b72c", false},
        {"65-digits", HELLO_HASH "0", false},
        {"dot-dot", "../../../../etc/passwd", false},
        {"slash-inside", "324dcf027dd4a30a932c441f365a25e86b173defa4b8e58948253471b81b72/f", false},
        {"empty", "", false},
        {"null", NULL, false},
    };
    struct arena a;

    (void)state;
    arena_init(&a);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const char *path = filestore_path(&a, "/d", cases[i].hash, ".jpg");
        if (filestore_is_hash(cases[i].hash) != cases[i].ok || (path != NULL) != cases[i].ok)
            fail_msg("case %s", cases[i].id);
    }
    assert_string_equal(filestore_path(&a, "/d", HELLO_HASH, ""), "/d/32/4d/" HELLO_HASH);
    assert_string_equal(filestore_path(&a, "/d", HELLO_HASH, ".jpg"),
                        "/d/32/4d/" HELLO_HASH ".jpg");
    arena_clear(&a);
}

static void test_put_and_read(void **state)
{
    struct arena a;
    struct buf out;
    const char *hash = NULL, *again = NULL, *path;
    struct stat st1, st2;

    (void)state;
    arena_init(&a);
    assert_int_equal(filestore_put(&a, root, "hello", 5, "", &hash), 0);
    assert_string_equal(hash, HELLO_HASH);
    path = filestore_path(&a, root, hash, "");
    assert_int_equal(stat(path, &st1), 0);
    assert_int_equal(st1.st_size, 5);
    assert_int_equal(entries_near(hash), 1);

    /* The same bytes again: nothing written (same inode), same hash. */
    assert_int_equal(filestore_put(&a, root, "hello", 5, "", &again), 0);
    assert_string_equal(again, HELLO_HASH);
    assert_int_equal(stat(path, &st2), 0);
    assert_int_equal(st1.st_ino, st2.st_ino);

    buf_init_arena(&out, &a);
    assert_int_equal(filestore_read(path, 5, &out), 0);
    assert_int_equal(out.len, 5);
    assert_memory_equal(out.s, "hello", 5);
    buf_init_arena(&out, &a);
    assert_int_equal(filestore_read(path, 4, &out), ERR_TOOBIG);
    assert_int_equal(filestore_read(filestore_path(&a, root,
                                                   "0000000000000000000000000000000000"
                                                   "000000000000000000000000000000",
                                                   ""),
                                    100, &out),
                     ERR_NOTFOUND);

    /* Empty bytes are a file too. */
    assert_int_equal(filestore_put(&a, root, "", 0, ".txt", &hash), 0);
    assert_int_equal(stat(filestore_path(&a, root, hash, ".txt"), &st1), 0);
    assert_int_equal(st1.st_size, 0);
    arena_clear(&a);
}

struct used_answer {
    int answer;
    int calls;
    bool store_meanwhile; /* a writer stores the bytes again while the file is away */
    struct arena *a;
};

static int used(void *ctx, const char *hash)
{
    struct used_answer *u = ctx;
    const char *ignored;

    u->calls++;
    /* The file is away while the question is asked. */
    assert_int_equal(access(filestore_path(u->a, root, hash, ""), F_OK), -1);
    if (u->store_meanwhile)
        assert_int_equal(filestore_put(u->a, root, "hello", 5, "", &ignored), 0);
    return u->answer;
}

static void test_remove(void **state)
{
    struct arena a;
    const char *hash, *path;
    struct used_answer u = {.a = NULL};

    (void)state;
    arena_init(&a);
    u.a = &a;
    assert_int_equal(filestore_put(&a, root, "hello", 5, "", &hash), 0);
    path = filestore_path(&a, root, hash, "");

    u.answer = 1; /* still used: kept */
    assert_int_equal(filestore_remove(&a, root, hash, "", used, &u), 0);
    assert_int_equal(access(path, F_OK), 0);
    assert_int_equal(entries_near(hash), 1);

    u.answer = -5; /* unknown (a database error): kept */
    assert_int_equal(filestore_remove(&a, root, hash, "", used, &u), 0);
    assert_int_equal(access(path, F_OK), 0);
    assert_int_equal(entries_near(hash), 1);

    u.answer = 1; /* a writer stored it again meanwhile and its reference was seen: kept */
    u.store_meanwhile = true;
    assert_int_equal(filestore_remove(&a, root, hash, "", used, &u), 0);
    assert_int_equal(access(path, F_OK), 0);
    assert_int_equal(entries_near(hash), 1);
    u.store_meanwhile = false;

    u.answer = 0; /* unused: gone, nothing left beside it */
    assert_int_equal(filestore_remove(&a, root, hash, "", used, &u), 0);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(entries_near(hash), 0);
    assert_int_equal(u.calls, 4);

    /* Already gone, or not a hash: nothing to do, nothing asked. */
    assert_int_equal(filestore_remove(&a, root, hash, "", used, &u), 0);
    assert_int_equal(filestore_remove(&a, root, "../x", "", used, &u), 0);
    assert_int_equal(u.calls, 4);
    arena_clear(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_is_hash_and_path),
        cmocka_unit_test_setup_teardown(test_put_and_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remove, setup, teardown),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
