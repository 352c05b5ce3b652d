/*
 * filestore.h - files stored on disk by content hash.
 *
 * A file is named by the BLAKE2b-256 hash of its bytes, in lower-case hex,
 * under a root folder: root/ab/cd/<hash><ext>.  Storing writes a temporary
 * name, syncs it and renames it, so a reader never sees half a file, and
 * storing bytes that are already there changes nothing.  Each feature keeps
 * its files under a root of its own (profile photos in files_dir, post
 * attachments in files_dir/attachments), so it alone decides when one of
 * them is no longer referenced and may go.
 */
#ifndef RUCHE_CORE_FILESTORE_H
#define RUCHE_CORE_FILESTORE_H

#include "core.h"

struct arena;
struct buf;

#define FILESTORE_HASH_HEX 64 /* BLAKE2b-256 in hex */

/* True when s is FILESTORE_HASH_HEX lower-case hex digits. */
bool filestore_is_hash(const char *s);

/* root/ab/cd/<hash><ext> in arena memory; NULL when hash is not a hash (filestore_is_hash). */
const char *filestore_path(struct arena *a, const char *root, const char *hash, const char *ext);

/*
 * Store len bytes of data under root (folders made as needed) unless a file
 * of that hash is there already.  *hash receives the hash (arena memory).
 * 0, or ERR_IO (logged).
 */
int filestore_put(struct arena *a, const char *root, const void *data, size_t len, const char *ext,
                  const char **hash);

/*
 * Append the file at path to out, refusing files over max bytes.  0;
 * ERR_NOTFOUND when there is no such file; ERR_TOOBIG; ERR_IO.
 */
int filestore_read(const char *path, size_t max, struct buf *out);

/* Asked by filestore_remove(): is hash still referenced?  < 0 on error (the file then stays). */
typedef int filestore_used_fn(void *ctx, const char *hash);

/*
 * Remove the file of hash unless used(ctx, hash) says it is referenced.
 * The file is first renamed away, then used() is asked, and the file comes
 * back if the answer is yes or unknown: a writer that committed a new
 * reference meanwhile either sees the file missing and stores it again
 * (filestore_put after its commit), or had its reference seen here.
 * 0 (removed, kept, or already gone), ERR_IO.
 */
int filestore_remove(struct arena *a, const char *root, const char *hash, const char *ext,
                     filestore_used_fn *used, void *ctx);

#endif
