/*
 * buf.h - growable byte buffers (git's strbuf).
 *
 * A buf is always NUL-terminated, so buf.s can be passed to C string
 * functions.  buf_init() allocates nothing; buf_release() frees and
 * re-initialises.  A buf made with buf_init_arena() takes its memory from
 * an arena and must not be released: the arena frees it.
 */
#ifndef RUCHE_BUF_H
#define RUCHE_BUF_H

#include "core.h"

struct arena;

struct buf {
    char *s;         /* NUL-terminated contents; never NULL */
    size_t len;      /* bytes in s, without the NUL */
    size_t cap;      /* bytes allocated, 0 while s points to the empty slot */
    struct arena *a; /* memory source, or NULL for malloc */
};

extern char buf_empty_slot[];
#define BUF_INIT                                                                                   \
    {                                                                                              \
        .s = buf_empty_slot, .len = 0, .cap = 0, .a = NULL                                         \
    }

void buf_init(struct buf *b);
void buf_init_arena(struct buf *b, struct arena *a);
/* Free malloc'd memory (no-op for arena buffers) and re-initialise. */
void buf_release(struct buf *b);
/* Forget the contents, keep the memory. */
void buf_reset(struct buf *b);
/* Make room for at least extra more bytes. */
void buf_grow(struct buf *b, size_t extra);

void buf_add(struct buf *b, const void *data, size_t n);
void buf_addstr(struct buf *b, const char *s);
void buf_addch(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);

/* Take the malloc'd string out of a non-arena buffer; the caller frees it. */
char *buf_detach(struct buf *b, size_t *len);

#endif
