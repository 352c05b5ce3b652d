/*
 * test_arena.c - the request arena (core/arena.c) and growable buffers (core/buf.c).
 *
 * Arena: every allocation is 16-byte aligned and zeroed, allocations never
 * overlap (each is filled with its own pattern and checked afterwards), the
 * big-block path (> 4 KB) mixes correctly with the bump path, the string
 * helpers copy exactly, arena_clear() leaves a reusable arena, and size
 * overflows are BUG()s.  Buffers: BUF_INIT, growth past the first 64 bytes at
 * every boundary, detach, arena-backed buffers and reset.
 *
 * Cases are tables with ids, so a failure names its case.  Misuses that must
 * BUG() run in a forked child, which has to die of SIGABRT.  Under ASan the
 * malloc'd chunks start filled with 0xbe, so the "zeroed" checks are real.
 */
#include "core/arena.h"
#include "core/buf.h"

#include <setjmp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define ALIGN 16

static bool is_aligned(const void *p)
{
    return ((uintptr_t)p % ALIGN) == 0;
}

static bool all_bytes(const void *p, size_t n, unsigned char byte)
{
    const unsigned char *c = p;

    for (size_t i = 0; i < n; i++)
        if (c[i] != byte)
            return false;
    return true;
}

/* Run fn in a child; true when the child died of SIGABRT (BUG()). */
static bool dies_of_bug(void (*fn)(void))
{
    pid_t pid;
    int status = 0;

    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* cmocka traps these signals; a crash must not pass for a BUG(). */
        static const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGSYS, SIGABRT};
        for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
            signal(sigs[i], SIG_DFL);
        /* The BUG message is expected: keep the test output clean. */
        if (!freopen("/dev/null", "w", stderr))
            _exit(3);
        fn();
        _exit(0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status) && WTERMSIG(status) != SIGABRT)
        print_message("child died of signal %d, not SIGABRT\n", WTERMSIG(status));
    else if (WIFEXITED(status))
        print_message("child exited with status %d\n", WEXITSTATUS(status));
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

/* ---- arena_alloc: alignment, zeroing, no overlap ------------------------------------ */

static void test_alloc_sizes(void **state)
{
    /* Around the rounding step, the big-block threshold (4096) and the chunk size (16384). */
    static const struct {
        const char *id;
        size_t n;
        size_t charged; /* what a->total grows by */
    } cases[] = {
        {"zero", 0, 16},
        {"one", 1, 16},
        {"fifteen", 15, 16},
        {"sixteen", 16, 16},
        {"seventeen", 17, 32},
        {"hundred", 100, 112},
        {"below-big", 4095, 4096},
        {"at-big-threshold", 4096, 4096},
        {"first-big", 4097, 4112},
        {"big", 5000, 5008},
        {"chunk-size", 16384, 16384},
        {"over-chunk", 16385, 16400},
        {"huge", 100000, 100000},
    };
    struct arena a;
    void *ptrs[ARRAY_SIZE(cases)];
    size_t total = 0;

    (void)state;
    arena_init(&a);
    assert_null(a.head);
    assert_int_equal(a.total, 0);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        size_t n = cases[i].n;
        unsigned char *p = arena_alloc(&a, n);

        if (!p)
            fail_msg("case %s: NULL", cases[i].id);
        if (!is_aligned(p))
            fail_msg("case %s: %p is not %d-byte aligned", cases[i].id, (void *)p, ALIGN);
        if (!all_bytes(p, n, 0))
            fail_msg("case %s: memory not zeroed", cases[i].id);
        total += cases[i].charged;
        if (a.total != total)
            fail_msg("case %s: total %zu, want %zu", cases[i].id, a.total, total);
        memset(p, (int)(i + 1), n);
        ptrs[i] = p;
    }
    /* Writing each block did not disturb any other one. */
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        if (!all_bytes(ptrs[i], cases[i].n, (unsigned char)(i + 1)))
            fail_msg("case %s: block overwritten by a later allocation", cases[i].id);
    /* Distinct pointers even for size 0. */
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        for (size_t j = i + 1; j < ARRAY_SIZE(cases); j++)
            if (ptrs[i] == ptrs[j])
                fail_msg("cases %s and %s share a pointer", cases[i].id, cases[j].id);
    arena_clear(&a);
}

static void test_many_small(void **state)
{
    enum { COUNT = 20000 };
    struct arena a;
    unsigned char **ptrs = calloc(COUNT, sizeof(*ptrs));

    (void)state;
    assert_non_null(ptrs);
    arena_init(&a);
    for (size_t i = 0; i < COUNT; i++) {
        size_t n = 1 + i % 97;

        ptrs[i] = arena_alloc(&a, n);
        if (!is_aligned(ptrs[i]) || !all_bytes(ptrs[i], n, 0))
            fail_msg("allocation %zu (%zu bytes): misaligned or not zeroed", i, n);
        memset(ptrs[i], (int)(i & 0xff), n);
    }
    for (size_t i = 0; i < COUNT; i++)
        if (!all_bytes(ptrs[i], 1 + i % 97, (unsigned char)(i & 0xff)))
            fail_msg("allocation %zu overwritten", i);
    free(ptrs);
    arena_clear(&a);
}

/* Big blocks get their own chunk: first in an empty arena, and between small ones. */
static void test_big_then_small(void **state)
{
    static const struct {
        const char *id;
        size_t sizes[8]; /* 0 ends the list */
    } cases[] = {
        {"big-first", {5000, 8, 8, 32, 0}},
        {"big-between", {8, 5000, 8, 0}},
        {"two-big-first", {9000, 20000, 1, 1, 0}},
        {"big-then-full-chunk", {4097, 4096, 4096, 4096, 4096, 16, 0}},
        {"small-fill-chunk-then-big", {4096, 4096, 4096, 4080, 5000, 16, 16, 0}},
        {"chunk-exactly-full", {4096, 4096, 4096, 4096, 1, 0}},
    };

    (void)state;
    for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
        struct arena a;
        unsigned char *ptrs[8];
        size_t count = 0;

        arena_init(&a);
        for (; count < 8 && cases[c].sizes[count]; count++) {
            size_t n = cases[c].sizes[count];

            ptrs[count] = arena_alloc(&a, n);
            if (!is_aligned(ptrs[count]) || !all_bytes(ptrs[count], n, 0))
                fail_msg("case %s: block %zu misaligned or not zeroed", cases[c].id, count);
            memset(ptrs[count], 0xa0 + (int)count, n);
        }
        for (size_t i = 0; i < count; i++)
            if (!all_bytes(ptrs[i], cases[c].sizes[i], (unsigned char)(0xa0 + i)))
                fail_msg("case %s: block %zu overwritten", cases[c].id, i);
        arena_clear(&a);
    }
}

/* ---- string helpers ------------------------------------------------------------------- */

static void test_strndup(void **state)
{
    static const struct {
        const char *id;
        const char *in;
        size_t n;
        const char *want; /* want_len = n */
    } cases[] = {
        {"whole", "hello", 5, "hello"}, {"prefix", "hello", 3, "hel"},
        {"empty", "hello", 0, ""},      {"embedded-nul", "a\0b", 3, "a\0b"},
        {"utf8", "été", 5, "été"},
    };
    struct arena a;

    (void)state;
    arena_init(&a);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char *p = arena_strndup(&a, cases[i].in, cases[i].n);

        if (!is_aligned(p) || memcmp(p, cases[i].want, cases[i].n) != 0 || p[cases[i].n])
            fail_msg("case %s: bad copy", cases[i].id);
        if (p == cases[i].in)
            fail_msg("case %s: not a copy", cases[i].id);
    }
    arena_clear(&a);
}

static void test_strdup(void **state)
{
    struct arena a;
    char src[] = "Ruche";
    char *copy, *empty;

    (void)state;
    arena_init(&a);
    assert_null(arena_strdup(&a, NULL));
    copy = arena_strdup(&a, src);
    src[0] = 'X';
    assert_string_equal(copy, "Ruche");
    empty = arena_strdup(&a, "");
    assert_non_null(empty);
    assert_string_equal(empty, "");
    assert_ptr_not_equal(empty, copy);
    arena_clear(&a);
}

static void test_printf(void **state)
{
    struct arena a;
    char *p;

    (void)state;
    arena_init(&a);
    assert_string_equal(arena_printf(&a, "%d-%s-%c", 42, "x", 'y'), "42-x-y");
    assert_string_equal(arena_printf(&a, "%s", ""), "");
    assert_string_equal(arena_printf(&a, "%" PRId64, INT64_MIN), "-9223372036854775808");
    /* Longer than the big-block threshold: takes the big path. */
    p = arena_printf(&a, "[%6000s]", "end");
    assert_true(is_aligned(p));
    assert_int_equal(strlen(p), 6002);
    assert_int_equal(p[0], '[');
    assert_true(all_bytes(p + 1, 5997, ' '));
    assert_string_equal(p + 5998, "end]");
    arena_clear(&a);
}

/* ---- clear and reuse ------------------------------------------------------------------ */

static void test_clear_reuse(void **state)
{
    struct arena a;

    (void)state;
    arena_init(&a);
    arena_clear(&a); /* clearing an empty arena is harmless */
    for (int round = 0; round < 3; round++) {
        unsigned char *small, *big;

        for (int i = 0; i < 100; i++)
            memset(arena_alloc(&a, 300), 0xff, 300);
        big = arena_alloc(&a, 10000);
        memset(big, 0xff, 10000);
        assert_true(a.total > 0);
        arena_clear(&a);
        assert_null(a.head);
        assert_int_equal(a.used, 0);
        assert_int_equal(a.total, 0);
        small = arena_alloc(&a, 64);
        assert_true(is_aligned(small));
        assert_true(all_bytes(small, 64, 0));
        assert_int_equal(a.total, 64);
    }
    arena_clear(&a);
    arena_clear(&a);
}

/* ---- arena_array and ARENA_NEW -------------------------------------------------------- */

struct pair {
    int64_t x;
    char c;
};

static void test_array(void **state)
{
    struct arena a;
    struct pair *items, *one;
    void *none;

    (void)state;
    arena_init(&a);
    items = arena_array(&a, 1000, sizeof(*items));
    assert_true(is_aligned(items));
    assert_true(all_bytes(items, 1000 * sizeof(*items), 0));
    items[999].x = 7;
    none = arena_array(&a, 0, sizeof(*items));
    assert_non_null(none);
    none = arena_array(&a, SIZE_MAX, 0); /* zero-sized elements: no overflow */
    assert_non_null(none);
    one = ARENA_NEW(&a, struct pair);
    assert_true(is_aligned(one));
    assert_int_equal(one->x, 0);
    assert_int_equal(items[999].x, 7);
    arena_clear(&a);
}

static void array_overflow_half(void)
{
    struct arena a;

    arena_init(&a);
    arena_array(&a, SIZE_MAX / 2 + 1, 2);
}

static void array_overflow_square(void)
{
    struct arena a;

    arena_init(&a);
    arena_array(&a, (size_t)1 << (sizeof(size_t) * 4), (size_t)1 << (sizeof(size_t) * 4));
}

static void array_overflow_max(void)
{
    struct arena a;

    arena_init(&a);
    arena_array(&a, SIZE_MAX, SIZE_MAX);
}

static void alloc_overflow_round(void)
{
    struct arena a;

    arena_init(&a);
    arena_alloc(&a, SIZE_MAX); /* rounding up to 16 wraps */
}

/*
 * SIZE_MAX - 15 rounds to itself, so the rounding check passes, but the chunk
 * header added to it in chunk_new() wraps to malloc(0).  It must still BUG().
 */
static void alloc_overflow_header(void)
{
    struct arena a;

    arena_init(&a);
    arena_alloc(&a, SIZE_MAX - 15);
}

static void alloc_overflow_header_array(void)
{
    struct arena a;

    arena_init(&a);
    arena_array(&a, 1, SIZE_MAX - 20);
}

static void buf_detach_arena(void)
{
    struct arena a;
    struct buf b;

    arena_init(&a);
    buf_init_arena(&b, &a);
    buf_addstr(&b, "x");
    buf_detach(&b, NULL);
}

static void test_bug_cases(void **state)
{
    static const struct {
        const char *id;
        void (*fn)(void);
    } cases[] = {
        {"array-half-times-two", array_overflow_half},
        {"array-sqrt-squared", array_overflow_square},
        {"array-max-times-max", array_overflow_max},
        {"alloc-rounding-wraps", alloc_overflow_round},
        {"buf-detach-arena", buf_detach_arena},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        if (!dies_of_bug(cases[i].fn))
            fail_msg("case %s: expected BUG() (SIGABRT)", cases[i].id);
}

/*
 * Sizes within 31 bytes of SIZE_MAX: the rounded size plus the chunk header
 * wraps around in chunk_new(), which then gets malloc(0) and writes far past
 * it.  An impossible size must BUG() like the other overflows.
 */
static void test_bug_chunk_header_wrap(void **state)
{
    static const struct {
        const char *id;
        void (*fn)(void);
    } cases[] = {
        {"alloc-header-wraps", alloc_overflow_header},
        {"array-header-wraps", alloc_overflow_header_array},
    };
    int failed = 0;

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        if (!dies_of_bug(cases[i].fn)) {
            print_error("case %s: expected BUG() (SIGABRT)\n", cases[i].id);
            failed++;
        }
    }
    assert_int_equal(failed, 0);
}

/* ---- buf ------------------------------------------------------------------------------ */

static void check_buf(const char *id, const struct buf *b, const char *want, size_t want_len)
{
    if (b->len != want_len || memcmp(b->s, want, want_len) != 0)
        fail_msg("case %s: got %zu bytes \"%.*s\", want %zu bytes", id, b->len, (int)b->len, b->s,
                 want_len);
    if (b->s[b->len] != '\0')
        fail_msg("case %s: not NUL-terminated", id);
    if (b->cap && b->cap <= b->len)
        fail_msg("case %s: cap %zu <= len %zu", id, b->cap, b->len);
}

static void test_buf_init(void **state)
{
    struct buf b = BUF_INIT;
    struct buf c;

    (void)state;
    assert_non_null(b.s);
    assert_string_equal(b.s, "");
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    assert_null(b.a);
    buf_init(&c);
    assert_ptr_equal(c.s, b.s);
    /* Adding nothing allocates nothing. */
    buf_add(&b, "x", 0);
    buf_addstr(&b, "");
    assert_int_equal(b.cap, 0);
    buf_reset(&b);
    assert_int_equal(b.cap, 0);
    buf_release(&b);
    assert_int_equal(buf_empty_slot[0], '\0');
}

/* Every split of an addf around the first growth (64 bytes) and the next one (128). */
static void test_buf_addf_growth(void **state)
{
    char xs[200], ys[200], want[400];

    (void)state;
    memset(xs, 'x', sizeof(xs));
    memset(ys, 'y', sizeof(ys));
    for (size_t before = 0; before <= 140; before++) {
        for (size_t added = 0; added <= 140; added++) {
            struct buf b = BUF_INIT;
            char id[32];

            snprintf(id, sizeof(id), "before-%zu-added-%zu", before, added);
            buf_add(&b, xs, before);
            buf_addf(&b, "%.*s", (int)added, ys);
            memcpy(want, xs, before);
            memcpy(want + before, ys, added);
            check_buf(id, &b, want, before + added);
            buf_release(&b);
        }
    }
    assert_int_equal(buf_empty_slot[0], '\0');
}

static void test_buf_appends(void **state)
{
    struct buf b = BUF_INIT;

    (void)state;
    buf_addstr(&b, "a");
    buf_addch(&b, 'b');
    buf_add(&b, "c\0d", 3);
    buf_addf(&b, "%d", -5);
    check_buf("mixed", &b, "abc\0d-5", 7);
    for (int i = 0; i < 1000; i++)
        buf_addch(&b, 'z');
    assert_int_equal(b.len, 1007);
    assert_int_equal(b.s[1007], '\0');
    buf_release(&b);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    assert_string_equal(b.s, "");
}

static void test_buf_detach(void **state)
{
    struct buf b = BUF_INIT;
    size_t len = 99;
    char *s;

    (void)state;
    buf_addf(&b, "%s-%s", "Zoé", "Ruche");
    s = buf_detach(&b, &len);
    assert_string_equal(s, "Zoé-Ruche");
    assert_int_equal(len, strlen("Zoé-Ruche"));
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    assert_string_equal(b.s, "");
    free(s);

    /* An empty buffer still detaches a malloc'd "" the caller can free. */
    s = buf_detach(&b, &len);
    assert_non_null(s);
    assert_ptr_not_equal(s, buf_empty_slot);
    assert_string_equal(s, "");
    assert_int_equal(len, 0);
    free(s);

    /* The buffer is reusable after a detach. */
    buf_addstr(&b, "again");
    s = buf_detach(&b, NULL);
    assert_string_equal(s, "again");
    free(s);
}

static void test_buf_arena(void **state)
{
    struct arena a;
    struct buf b;
    char want[300];

    (void)state;
    arena_init(&a);
    buf_init_arena(&b, &a);
    assert_ptr_equal(b.a, &a);
    for (int i = 0; i < 300; i++) {
        buf_addch(&b, (char)('a' + i % 26));
        want[i] = (char)('a' + i % 26);
    }
    check_buf("arena-addch", &b, want, 300);
    buf_addf(&b, "%s", "!");
    assert_int_equal(b.len, 301);
    assert_int_equal(b.s[300], '!');
    buf_reset(&b);
    check_buf("arena-reset", &b, "", 0);
    buf_addf(&b, "%05d", 42);
    check_buf("arena-after-reset", &b, "00042", 5);
    /* Release does not free arena memory and keeps the arena. */
    buf_release(&b);
    assert_ptr_equal(b.a, &a);
    assert_int_equal(b.cap, 0);
    buf_addstr(&b, "still works");
    check_buf("arena-after-release", &b, "still works", 11);
    arena_clear(&a);
}

static void test_buf_reset(void **state)
{
    struct buf b = BUF_INIT;
    size_t cap;
    char *s;

    (void)state;
    buf_addf(&b, "%0100d", 1);
    cap = b.cap;
    s = b.s;
    buf_reset(&b);
    check_buf("reset", &b, "", 0);
    assert_int_equal(b.cap, cap);
    assert_ptr_equal(b.s, s);
    buf_addstr(&b, "short");
    check_buf("reuse", &b, "short", 5);
    assert_ptr_equal(b.s, s);
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_sizes),    cmocka_unit_test(test_many_small),
        cmocka_unit_test(test_big_then_small), cmocka_unit_test(test_strndup),
        cmocka_unit_test(test_strdup),         cmocka_unit_test(test_printf),
        cmocka_unit_test(test_clear_reuse),    cmocka_unit_test(test_array),
        cmocka_unit_test(test_bug_cases),      cmocka_unit_test(test_bug_chunk_header_wrap),
        cmocka_unit_test(test_buf_init),       cmocka_unit_test(test_buf_addf_growth),
        cmocka_unit_test(test_buf_appends),    cmocka_unit_test(test_buf_detach),
        cmocka_unit_test(test_buf_arena),      cmocka_unit_test(test_buf_reset),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
