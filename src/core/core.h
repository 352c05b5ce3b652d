/*
 * core.h - the first include of every Ruche source file.
 *
 * Pulls the C standard headers every module uses, the error codes shared by
 * all modules, the BUG() macro for broken invariants, and banned.h, which
 * turns unsafe libc calls into compile errors.  Owns no state.
 */
#ifndef RUCHE_CORE_H
#define RUCHE_CORE_H

#define _GNU_SOURCE 1

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Error codes returned by functions that can fail.  Zero is success; every
 * error is negative so that "rc < 0" is the failure test everywhere.
 */
enum err {
    ERR_OK = 0,
    ERR_NOTFOUND = -1, /* no such row, file or member */
    ERR_DB = -2,       /* database error, logged with its SQL */
    ERR_BUSY = -3,     /* database busy: answer 503 with Retry-After */
    ERR_INVALID = -4,  /* bad input from the user */
    ERR_TOOBIG = -5,   /* input over its limit */
    ERR_EXISTS = -6,   /* unique constraint: the thing exists already */
    ERR_DENIED = -7,   /* permission refused */
    ERR_IO = -8,       /* file system or socket error */
    ERR_NOMEM = -9,    /* allocation failed */
};

/* Name of an error code, for logs ("notfound", "db", ...). */
const char *err_name(int rc);

/*
 * BUG() reports a broken invariant of the program itself (never bad input)
 * and aborts, as git's BUG() does.  Tests then fail loudly.
 */
#define BUG(...) bug_at(__FILE__, __LINE__, __VA_ARGS__)
_Noreturn void bug_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Milliseconds since the Unix epoch, UTC. */
int64_t time_now_ms(void);
/* Microseconds from a monotonic clock, for durations. */
int64_t time_mono_us(void);

#include "banned.h"

#endif
