/*
 * log.h - one line per event on stderr, in logfmt (key=value ...).
 *
 * Values are quoted when they hold spaces, quotes or '=' so that a log line
 * always parses back.  Never log a password, token or cookie.
 */
#ifndef RUCHE_LOG_H
#define RUCHE_LOG_H

#include "core.h"

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level level);
/* log_msg(LOG_WARN, "db", "statement failed", "sql", sql, NULL): key/value pairs end with NULL. */
void log_msg(enum log_level level, const char *module, const char *msg, ...)
    __attribute__((sentinel));

#define log_info(mod, msg, ...) log_msg(LOG_INFO, mod, msg, __VA_ARGS__)
#define log_warn(mod, msg, ...) log_msg(LOG_WARN, mod, msg, __VA_ARGS__)
#define log_error(mod, msg, ...) log_msg(LOG_ERROR, mod, msg, __VA_ARGS__)

/* Append key=value to b, quoting value when needed (used by the access log). */
struct buf;
void log_kv(struct buf *b, const char *key, const char *value);

#endif
