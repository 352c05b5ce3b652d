/*
 * http.h - what a feature handler sees of HTTP.
 *
 * Handlers never touch libmicrohttpd: they receive a struct req, read its
 * parameters, form fields and viewer, and fill its response (status,
 * headers, body).  The router has already enforced the route's access rule,
 * CSRF rule and body limit before a handler runs.  All memory comes from
 * r->a and is released when the request completes.
 */
#ifndef RUCHE_HTTP_H
#define RUCHE_HTTP_H

#include "../core/core.h"
#include "../core/arena.h"
#include "../core/buf.h"

struct db;
struct app;

enum http_method {
    HTTP_GET = 1,
    HTTP_HEAD = 2,
    HTTP_POST = 4,
    HTTP_PUT = 8,
    HTTP_PATCH = 16,
    HTTP_DELETE = 32
};

/* Member roles, weakest first. */
enum role { ROLE_NONE = 0, ROLE_GUEST, ROLE_MEMBER, ROLE_ANIMATOR, ROLE_ADMIN };

/* Who is asking: filled by the router from the session cookie or bearer token. */
struct viewer {
    int64_t id; /* account id, 0 for an anonymous visitor */
    enum role role;
    const char *name; /* display name */
    const char *email;
    const char *lang; /* "fr" or "en" */
    bool must_change_password;
    bool via_bearer; /* authenticated by an API token, not a cookie */
    int64_t session_id;
};

/* A name/value pair: query and form fields, route parameters, headers. */
struct kv {
    const char *name;
    const char *value;
    size_t value_len;
    const char *filename; /* multipart file part: the client's name, never trusted */
    const char *content_type;
};

struct kv_list {
    struct kv *items;
    size_t len, cap;
};

struct route;

struct req {
    struct arena *a;
    struct app *app;
    struct db *db; /* borrowed from the pool for this request */
    enum http_method method;
    const char *path; /* decoded path, without the query string */
    const char *client_ip;
    const struct route *route; /* matched route, NULL for a 404 */
    struct kv_list params;     /* route parameters: {id} ... */
    struct kv_list query;      /* query string fields */
    struct kv_list form;       /* urlencoded or multipart fields */
    struct buf body;           /* raw body for JSON and other types */
    const char *content_type;  /* request Content-Type, lower-case media type only */
    struct viewer viewer;
    const char *lang;       /* language of the response: "fr" or "en" */
    const char *csrf_token; /* token to embed in forms */
    void *conn;             /* opaque server connection */

    /* response */
    int status;
    struct buf out;       /* response body */
    const char *out_type; /* Content-Type */
    struct kv_list out_headers;
    bool is_api;                /* errors as JSON */
    struct http_stream *stream; /* set by http_reply_stream() */
};

/* ---- reading the request ---------------------------------------------- */

/* Route parameter {name}; NULL if absent. */
const char *http_param(struct req *r, const char *name);
/* Route parameter parsed as a positive id; 0 if absent or malformed. */
int64_t http_param_id(struct req *r, const char *name);
/* Query-string field; NULL if absent. */
const char *http_query(struct req *r, const char *name);
/* Form field (urlencoded or multipart); NULL if absent. */
const char *http_form(struct req *r, const char *name);
/* Form field entry, with length and file metadata. */
const struct kv *http_form_kv(struct req *r, const char *name);
/* The fields named name in order, for repeated fields (<input type="file" multiple>): the
 * first when after is NULL, else the next one after it; NULL when there is no more. */
const struct kv *http_form_next(struct req *r, const char *name, const struct kv *after);
/* Request header (case-insensitive); NULL if absent. */
const char *http_header(struct req *r, const char *name);
/* Cookie value; NULL if absent. */
const char *http_cookie(struct req *r, const char *name);

/* ---- writing the response --------------------------------------------- */

void http_set_header(struct req *r, const char *name, const char *value);
/* Set-Cookie with HttpOnly, SameSite=Lax, Path=/ (and Secure behind TLS); max_age 0 deletes. */
void http_set_cookie(struct req *r, const char *name, const char *value, int64_t max_age_s);
/* 303 See Other to a local path (must begin with '/'). */
int http_reply_redirect(struct req *r, const char *path);
/* JSON value as the body (takes the reference), with a status. */
struct json_t;
int http_reply_json(struct req *r, int status, struct json_t *value);
/* The request body parsed as JSON (the caller must json_decref it); NULL after replying
 * 400 (not JSON, or malformed) on r. */
struct json_t *http_json_body(struct req *r);
/* 204 No Content. */
int http_reply_no_content(struct req *r);
/* An error page (HTML in the layout) or, on API routes, the JSON error envelope.
 * code is a stable identifier ("not_found"), message is shown to people. */
int http_reply_error(struct req *r, int status, const char *code, const char *message);
/* Map an internal error (ERR_*) to its reply: 404, 503, 500... */
int http_reply_err(struct req *r, int rc);

/* True when a GET of path has a route the viewer may open (to show links only then). */
bool http_route_reachable(struct req *r, const char *path);

/* ---- streams (Server-Sent Events) --------------------------------------- */

struct http_stream;

struct http_stream_ops {
    /*
     * Copy up to max bytes of what is ready into buf and return the count;
     * 0 when nothing is ready: the connection then waits, costing no
     * thread, until http_stream_wake().  Set *end to close the stream once
     * what was copied is sent.  Called with the stream's lock held.
     */
    size_t (*fill)(void *ctx, char *buf, size_t max, bool *end);
    /* The connection is gone: release ctx.  Called once, never with a wake pending. */
    void (*closed)(void *ctx);
};

/* Answer with an endless body of content_type, read through ops; NULL when out of memory. */
struct http_stream *http_reply_stream(struct req *r, const char *content_type,
                                      const struct http_stream_ops *ops, void *ctx);
/* Something is ready: let a waiting stream call fill() again.  Any thread. */
void http_stream_wake(struct http_stream *s);

/* ---- routes ------------------------------------------------------------ */

enum route_access {
    ACCESS_UNSET = 0, /* a route must name its rule: the router refuses this one */
    ACCESS_PUBLIC,    /* anyone, signed in or not */
    ACCESS_ANON_OK,   /* anyone; pages for visitors (login) */
    ACCESS_GUEST,     /* any signed-in member, guests included */
    ACCESS_MEMBER,    /* signed-in member, not a guest */
    ACCESS_ANIMATOR,  /* animators and administrators */
    ACCESS_ADMIN,     /* administrators only */
};

enum route_flags {
    ROUTE_NO_CSRF = (1 << 0),     /* state-changing route without CSRF (login API, bearer only) */
    ROUTE_API = (1 << 1),         /* JSON errors; CSRF by header for cookie sessions */
    ROUTE_SECRET_PATH = (1 << 2), /* the path holds a secret: the log shows the pattern */
    ROUTE_PASSWORD_EXEMPT = (1 << 3), /* reachable while a password change is pending */
    ROUTE_NO_SESSION = (1 << 4),      /* static assets, health: no viewer, no cookies */
};

typedef int route_fn(struct req *r);

struct route {
    unsigned methods;    /* HTTP_GET | HTTP_HEAD ... */
    const char *pattern; /* "/people/{id}", "/static/{name}" */
    route_fn *handler;
    enum route_access access;
    unsigned flags;
    size_t body_limit; /* bytes; 0 means ROUTE_BODY_DEFAULT */
};

#define ROUTE_BODY_DEFAULT (1024 * 1024)

/* Call fn(route, ctx) for every route, in the order the router tries them (debug-routes). */
typedef void http_route_visit_fn(const struct route *rt, void *ctx);
void http_routes_each(http_route_visit_fn *fn, void *ctx);

/* Each feature exports its table, ended by an entry with pattern NULL. */
extern const struct route auth_routes[];
extern const struct route home_routes[];
extern const struct route people_routes[];
extern const struct route core_routes[];
extern const struct route live_routes[];

#endif
