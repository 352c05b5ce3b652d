/*
 * arena.h - per-request memory pools (h2o's mem pool).
 *
 * Everything a request handler allocates comes from the request's arena and
 * is released in one call when the request ends.  Allocation never fails for
 * the caller: an exhausted system aborts, as xmalloc does in git.
 */
#ifndef RUCHE_ARENA_H
#define RUCHE_ARENA_H

#include "core.h"

struct arena_chunk;

struct arena {
    struct arena_chunk *head; /* newest chunk first */
    size_t used;              /* bytes used in head */
    size_t total;             /* bytes handed out, for limits and stats */
};

/* Prepare an empty arena in caller's memory; allocates nothing yet. */
void arena_init(struct arena *a);
/* Release every chunk; the arena can be used again afterwards. */
void arena_clear(struct arena *a);

/* n bytes aligned for any type, zeroed.  Lives until arena_clear(a). */
void *arena_alloc(struct arena *a, size_t n);
/* Array of count elements of size each, zeroed; aborts on overflow. */
void *arena_array(struct arena *a, size_t count, size_t size);
/* Copy of the n bytes at s plus a NUL terminator. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Copy of the NUL-terminated s (NULL gives NULL). */
char *arena_strdup(struct arena *a, const char *s);
/* printf into arena memory. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define ARENA_NEW(a, type) ((type *)arena_alloc((a), sizeof(type)))

#endif
