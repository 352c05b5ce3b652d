/*
 * log.c - logfmt lines on stderr.
 *
 * Each line is written with one fputs of a fully built buffer so lines from
 * different threads never interleave.  Owns the current log level.
 */
#include "log.h"
#include "buf.h"

#include <time.h>

static enum log_level current_level = LOG_INFO;

static const char *level_names[] = {"debug", "info", "warn", "error"};

void log_set_level(enum log_level level)
{
    current_level = level;
}

static bool needs_quotes(const char *v)
{
    if (!*v)
        return true;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p <= ' ' || *p == '"' || *p == '=' || *p == '\\' || *p == 0x7f)
            return true;
    return false;
}

void log_kv(struct buf *b, const char *key, const char *value)
{
    if (b->len)
        buf_addch(b, ' ');
    buf_addstr(b, key);
    buf_addch(b, '=');
    if (!value)
        value = "";
    if (!needs_quotes(value)) {
        buf_addstr(b, value);
        return;
    }
    buf_addch(b, '"');
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        if (*p == '"' || *p == '\\') {
            buf_addch(b, '\\');
            buf_addch(b, (char)*p);
        } else if (*p == '\n') {
            buf_addstr(b, "\\n");
        } else if (*p < ' ' || *p == 0x7f) {
            buf_addf(b, "\\x%02x", *p);
        } else {
            buf_addch(b, (char)*p);
        }
    }
    buf_addch(b, '"');
}

void log_msg(enum log_level level, const char *module, const char *msg, ...)
{
    struct buf b = BUF_INIT;
    char stamp[32];
    struct tm tm;
    time_t now = time(NULL);
    va_list ap;
    const char *key;

    if (level < current_level)
        return;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
    log_kv(&b, "ts", stamp);
    log_kv(&b, "level", level_names[level]);
    log_kv(&b, "module", module);
    log_kv(&b, "msg", msg);
    va_start(ap, msg);
    while ((key = va_arg(ap, const char *)) != NULL)
        log_kv(&b, key, va_arg(ap, const char *));
    va_end(ap);
    buf_addch(&b, '\n');
    fputs(b.s, stderr);
    buf_release(&b);
}
