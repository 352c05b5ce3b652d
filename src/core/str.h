/*
 * str.h - small string helpers: UTF-8 validation, trimming, parsing.
 */
#ifndef RUCHE_STR_H
#define RUCHE_STR_H

#include "core.h"

/* True if the n bytes at s are valid UTF-8 with no NUL and no overlong forms. */
bool str_is_utf8(const char *s, size_t n);
/* Number of Unicode code points in valid UTF-8 s. */
size_t str_utf8_len(const char *s, size_t n);
/* True when s starts with prefix. */
bool str_starts_with(const char *s, const char *prefix);
/* Parse a decimal int64 filling all of s; false on junk or overflow. */
bool str_to_i64(const char *s, int64_t *out);
/* Pointer past leading spaces; *len receives the length without trailing spaces. */
const char *str_trim(const char *s, size_t *len);
/* ASCII lower-case copy in arena memory. */
struct arena;
char *str_lower_ascii(struct arena *a, const char *s);

/*
 * Folded form of UTF-8 text for search and sorting: lower-case, Latin
 * accents removed ("Hélène" -> "helene", "Œuvre" -> "oeuvre").  Other
 * characters are kept as they are.  Returns memory from a.
 */
char *str_fold(struct arena *a, const char *s);

#endif
