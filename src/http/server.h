/*
 * server.h - start and stop the HTTP server (libmicrohttpd behind src/http).
 */
#ifndef RUCHE_SERVER_H
#define RUCHE_SERVER_H

#include "../core/core.h"

struct app;
struct http_server;

struct http_options {
    const char *listen; /* "127.0.0.1:8080", "[::1]:8080" */
    unsigned threads;   /* worker threads, at least 2 (see notes/libmicrohttpd.md) */
    unsigned timeout_s; /* idle connection timeout */
};

/* Start serving; ERR_INVALID on a bad listen address, ERR_IO if it cannot bind. */
int http_server_start(struct app *app, const struct http_options *opt, struct http_server **out);
/* Stop accepting, let in-flight requests finish (bounded wait), close everything. */
void http_server_stop(struct http_server *s);

#endif
