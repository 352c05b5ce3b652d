/*
 * buf.c - growable byte buffers, malloc'd or arena-backed.
 */
#include "buf.h"
#include "arena.h"

char buf_empty_slot[1];

void buf_init(struct buf *b)
{
    b->s = buf_empty_slot;
    b->len = 0;
    b->cap = 0;
    b->a = NULL;
}

void buf_init_arena(struct buf *b, struct arena *a)
{
    buf_init(b);
    b->a = a;
}

void buf_release(struct buf *b)
{
    struct arena *a = b->a;

    if (b->cap && !b->a)
        free(b->s);
    buf_init(b);
    b->a = a;
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->cap)
        b->s[0] = '\0';
}

void buf_grow(struct buf *b, size_t extra)
{
    size_t want, cap;
    char *s;

    if (extra >= SIZE_MAX - b->len - 1)
        BUG("buf_grow overflow");
    want = b->len + extra + 1;
    if (want <= b->cap)
        return;
    cap = b->cap ? b->cap : 64;
    while (cap < want)
        cap = cap < SIZE_MAX / 2 ? cap * 2 : want;
    if (b->a) {
        s = arena_alloc(b->a, cap);
        memcpy(s, b->s, b->len + 1);
    } else {
        s = b->cap ? realloc(b->s, cap) : malloc(cap);
        if (!s)
            BUG("out of memory (buf of %zu bytes)", cap);
        if (!b->cap)
            s[0] = '\0';
    }
    b->s = s;
    b->cap = cap;
}

void buf_add(struct buf *b, const void *data, size_t n)
{
    if (n == 0)
        return;
    buf_grow(b, n);
    memcpy(b->s + b->len, data, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void buf_addstr(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

void buf_addch(struct buf *b, char c)
{
    buf_grow(b, 1);
    b->s[b->len++] = c;
    b->s[b->len] = '\0';
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;

    va_copy(ap2, ap);
    n = vsnprintf(b->s + b->len, b->cap ? b->cap - b->len : 0, fmt, ap);
    if (n < 0)
        BUG("buf_vaddf: bad format");
    if ((size_t)n >= (b->cap ? b->cap - b->len : 0)) {
        buf_grow(b, (size_t)n);
        vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap2);
    }
    va_end(ap2);
    b->len += (size_t)n;
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    buf_vaddf(b, fmt, ap);
    va_end(ap);
}

char *buf_detach(struct buf *b, size_t *len)
{
    char *s;

    if (b->a)
        BUG("buf_detach on an arena buffer");
    if (!b->cap)
        buf_grow(b, 0);
    s = b->s;
    if (len)
        *len = b->len;
    buf_init(b);
    return s;
}
