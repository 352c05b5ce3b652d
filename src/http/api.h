/*
 * api.h - what every JSON API handler does with a request: the error
 * envelope naming a field, a JSON object body restricted to known keys,
 * typed members, and the ?cursor= and ?limit= of a list.
 *
 * Each function that can refuse replies itself (400 with the envelope
 * {"error": {"code", "message", "field"}}) and returns false or NULL: the
 * handler then returns 0 at once.
 */
#ifndef RUCHE_HTTP_API_H
#define RUCHE_HTTP_API_H

#include "http.h"

struct json_t;

/* The error envelope naming field; the code follows the status (invalid, not_found, conflict,
 * too_large). */
int api_reply_invalid(struct req *r, int status, const char *field, const char *message);

/* The body as a JSON object whose keys are all in allowed (NULL-ended); NULL after replying.
 * The caller json_decref()s it. */
struct json_t *api_body_object(struct req *r, const char *const *allowed);

/* The string member key of body, copied into r's arena (NULL when absent or null); false after
 * replying 400 when it is another type or holds a NUL. */
bool api_text(struct req *r, struct json_t *body, const char *key, const char **out);

/* The boolean member key (*present false when absent); false after replying 400. */
bool api_flag(struct req *r, struct json_t *body, const char *key, bool *present, bool *out);

/* The positive integer member key (0 when absent or null); false after replying 400. */
bool api_id(struct req *r, struct json_t *body, const char *key, int64_t *out);

/* ?cursor= (0 when absent); false after replying 400 when it is not a positive id. */
bool api_cursor(struct req *r, int64_t *out);

/* ?limit= from 1 to max (def when absent); false after replying 400. */
bool api_limit(struct req *r, size_t def, size_t max, size_t *out);

/* The "next" of a list: the cursor as a string, or null at the end. */
struct json_t *api_next(struct req *r, int64_t next);

#endif
