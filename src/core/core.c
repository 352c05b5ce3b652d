/*
 * core.c - error names, BUG() and clocks.
 */
#include "core.h"

#include <time.h>

const char *err_name(int rc)
{
    switch (rc) {
    case ERR_OK:
        return "ok";
    case ERR_NOTFOUND:
        return "notfound";
    case ERR_DB:
        return "db";
    case ERR_BUSY:
        return "busy";
    case ERR_INVALID:
        return "invalid";
    case ERR_TOOBIG:
        return "toobig";
    case ERR_EXISTS:
        return "exists";
    case ERR_DENIED:
        return "denied";
    case ERR_IO:
        return "io";
    case ERR_NOMEM:
        return "nomem";
    default:
        return "unknown";
    }
}

void bug_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "BUG: %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

int64_t time_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t time_mono_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
