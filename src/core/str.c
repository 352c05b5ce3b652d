/*
 * str.c - small string helpers.
 */
#include "str.h"
#include "arena.h"
#include "buf.h"

#include <ctype.h>

bool str_is_utf8(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;

    while (p < end) {
        unsigned c = *p;
        size_t extra;
        uint32_t cp;

        if (c == 0)
            return false;
        if (c < 0x80) {
            p++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            extra = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            extra = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            extra = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if ((size_t)(end - p) <= extra)
            return false;
        for (size_t i = 1; i <= extra; i++) {
            if ((p[i] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3f);
        }
        if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        p += extra + 1;
    }
    return true;
}

size_t str_utf8_len(const char *s, size_t n)
{
    size_t count = 0;

    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            count++;
    return count;
}

bool str_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_to_i64(const char *s, int64_t *out)
{
    char *end;
    long long v;

    if (!s || !*s || isspace((unsigned char)*s))
        return false;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

const char *str_trim(const char *s, size_t *len)
{
    size_t n;

    while (*s && isspace((unsigned char)*s))
        s++;
    n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    *len = n;
    return s;
}

char *str_lower_ascii(struct arena *a, const char *s)
{
    char *copy = arena_strdup(a, s);

    for (char *p = copy; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return copy;
}

/* ASCII letters for U+00C0..U+00FF; "" where the character is not a letter to fold. */
static const char *const latin1_fold[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y",
};

/* ASCII base letter of U+0100..U+017F (Latin Extended-A), in pairs upper/lower. */
static const char latin_ext_a_fold[] =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkklllllll"
    "lllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

char *str_fold(struct arena *a, const char *s)
{
    struct buf b;
    const unsigned char *p = (const unsigned char *)s;

    buf_init_arena(&b, a);
    while (*p) {
        if (*p < 0x80) {
            buf_addch(&b, (char)tolower(*p));
            p++;
        } else if (p[0] == 0xc3 && p[1] >= 0x80 && p[1] <= 0xbf && latin1_fold[p[1] - 0x80][0]) {
            buf_addstr(&b, latin1_fold[p[1] - 0x80]);
            p += 2;
        } else if ((p[0] == 0xc4 || p[0] == 0xc5) && (p[1] & 0xc0) == 0x80) {
            unsigned cp = ((unsigned)(p[0] & 0x1f) << 6) | (p[1] & 0x3f);
            if (cp == 0x152 || cp == 0x153)
                buf_addstr(&b, "oe");
            else if (cp - 0x100 < sizeof(latin_ext_a_fold) - 1)
                buf_addch(&b, latin_ext_a_fold[cp - 0x100]);
            else
                buf_add(&b, p, 2);
            p += 2;
        } else {
            buf_addch(&b, (char)*p);
            p++;
        }
    }
    return b.s;
}
