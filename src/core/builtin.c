/*
 * builtin.c - look-up in the table of embedded files.
 */
#include "builtin.h"

const struct builtin_file *builtin_find(const char *name)
{
    size_t lo = 0, hi = builtin_count;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int cmp = strcmp(name, builtin_files[mid].name);
        if (cmp == 0)
            return &builtin_files[mid];
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}
