/*
 * builtin.h - files embedded in the binary at build time (Fossil's mkbuiltin).
 *
 * tools/mkbuiltin.c turns the files of static/, migrations/ and po/ into one
 * generated C file.  Names keep their folder: "static/ruche.css",
 * "migrations/0001_accounts.sql", "po/en.po".  The table is sorted by name.
 */
#ifndef RUCHE_BUILTIN_H
#define RUCHE_BUILTIN_H

#include "core.h"

struct builtin_file {
    const char *name;
    const unsigned char *data; /* NUL-terminated, len bytes before the NUL */
    size_t len;
    const char *etag; /* quoted hex digest of the contents */
};

extern const struct builtin_file builtin_files[];
extern const size_t builtin_count;

/* The file called name, or NULL. */
const struct builtin_file *builtin_find(const char *name);

#endif
