/*
 * arena.c - per-request memory pools.
 *
 * Chunks are malloc'd and chained; small allocations bump a pointer in the
 * newest chunk, large ones get a chunk of their own.  arena_clear() frees
 * the chain.  An arena belongs to one thread at a time.
 */
#include "arena.h"

#define ARENA_CHUNK_SIZE (16 * 1024)
#define ARENA_ALIGN 16

struct arena_chunk {
    struct arena_chunk *next;
    size_t size; /* usable bytes in data */
    _Alignas(ARENA_ALIGN) unsigned char data[];
};

void arena_init(struct arena *a)
{
    a->head = NULL;
    a->used = 0;
    a->total = 0;
}

void arena_clear(struct arena *a)
{
    struct arena_chunk *c = a->head;

    while (c) {
        struct arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    arena_init(a);
}

static struct arena_chunk *chunk_new(size_t size)
{
    struct arena_chunk *c;

    if (size > SIZE_MAX - sizeof(*c))
        BUG("arena allocation overflow (%zu bytes)", size);
    c = malloc(sizeof(*c) + size);
    if (!c)
        BUG("out of memory (arena chunk of %zu bytes)", size);
    c->next = NULL;
    c->size = size;
    return c;
}

void *arena_alloc(struct arena *a, size_t n)
{
    size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    void *p;

    if (need < n)
        BUG("arena allocation overflow");
    if (need == 0)
        need = ARENA_ALIGN;
    a->total += need;
    if (need > ARENA_CHUNK_SIZE / 4) {
        /* A big block gets its own chunk, linked behind the current one. */
        struct arena_chunk *c = chunk_new(need);
        if (a->head) {
            c->next = a->head->next;
            a->head->next = c;
        } else {
            a->head = c;
            a->used = need;
        }
        memset(c->data, 0, need);
        return c->data;
    }
    if (!a->head || a->head->size - a->used < need) {
        struct arena_chunk *c = chunk_new(ARENA_CHUNK_SIZE);
        c->next = a->head;
        a->head = c;
        a->used = 0;
    }
    p = a->head->data + a->used;
    a->used += need;
    memset(p, 0, need);
    return p;
}

void *arena_array(struct arena *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        BUG("arena array overflow (%zu x %zu)", count, size);
    return arena_alloc(a, count * size);
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    char small[256];
    int n;
    char *p;

    va_start(ap, fmt);
    va_copy(ap2, ap);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        BUG("arena_printf: bad format");
    if ((size_t)n < sizeof(small)) {
        va_end(ap2);
        return arena_strndup(a, small, (size_t)n);
    }
    p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}
