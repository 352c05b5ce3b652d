/*
 * http_internal.h - shared between the files of src/http only.
 */
#ifndef RUCHE_HTTP_INTERNAL_H
#define RUCHE_HTTP_INTERNAL_H

#include "http.h"

struct app;

/* ---- router.c -------------------------------------------------------- */

/* Match pattern ("/people/{id}") against path, appending parameters to params. */
bool router_pattern_match(const char *pattern, const char *path, struct arena *a,
                          struct kv_list *params);
/* The route for method and path, or NULL; *allowed gets the methods of routes matching the path. */
const struct route *router_find(enum http_method method, const char *path, struct arena *a,
                                struct kv_list *params, unsigned *allowed);
/* Run a matched request: identify the viewer, enforce access and CSRF, call the handler. */
void router_dispatch(struct req *r);
/* Name of a method ("GET"), and parse of one (0 when unknown). */
const char *http_method_name(enum http_method m);
enum http_method http_method_parse(const char *name);

/* ---- form.c ---------------------------------------------------------- */

/* Append a name/value to a list (values are arena copies). */
struct kv *kv_list_add(struct arena *a, struct kv_list *list, const char *name, const char *value,
                       size_t value_len);
const struct kv *kv_list_find(const struct kv_list *list, const char *name);
/* Parse "a=1&b=%C3%A9" strictly into list: ERR_INVALID on a bad escape or invalid UTF-8,
 * with *bad_field set to the offending field name (or NULL). */
int form_parse_urlencoded(struct arena *a, const char *s, size_t n, struct kv_list *list,
                          const char **bad_field);

/* Incremental check of urlencoded bytes for malformed %-escapes across chunks. */
struct urlenc_scan {
    int pending; /* hex digits still expected after a '%' (0, 1 or 2) */
    bool bad;
};
void urlenc_scan_feed(struct urlenc_scan *s, const char *data, size_t n);

/* ---- req.c ------------------------------------------------------------ */

/* Security headers added to every response. */
extern const char *const http_security_headers[][2];
/* Reason phrase and French title of an error status. */
const char *http_status_title(struct req *r, int status);

/* ---- static.c --------------------------------------------------------- */
int static_page_file(struct req *r);

#endif
